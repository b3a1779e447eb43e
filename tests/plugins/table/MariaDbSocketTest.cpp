// The table plugin reaching MariaDB through its unix socket ("socket:/path"
// in db_host). Poco 1.11's connector has no socket setting, so the plugin
// points libmariadb at the socket through MYSQL_UNIX_PORT before the
// library starts; that works once per process, which these tests pin down.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/testing.hpp>

#include "MariaDbTestDatabase.h"
#include "SharedMariaDb.h"

namespace rport::test {

class MariaDbSocketTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MariaDbSocketTest);
    CPPUNIT_TEST(socketHostWorks);
    CPPUNIT_TEST(tcpStillWorksNextToTheSocket);
    CPPUNIT_TEST(aSecondSocketPathIsRefusedWithAReason);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        host = std::make_unique<sdk::testing::FakeHost>();
        plugin = host->open(TABLE_PLUGIN_PATH);
    }
    void tearDown() override {
        plugin = {};
        host.reset();
    }

    void socketHostWorks() {
        MariaDbTestDatabase db(sharedMariaDb(), true);
        auto store = open(db.settings("via_socket"));
        sdk::AuthRecord r;
        r.id = "s1";
        r.secret = "pw";
        CPPUNIT_ASSERT(store->add(r).ok());
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("s1", rec).ok());
        CPPUNIT_ASSERT(host->logged("at socket " + sharedMariaDb().socketPath()));
        // The row really is in the server the socket belongs to.
        CPPUNIT_ASSERT_EQUAL(std::string("1"), db.scalar("SELECT COUNT(*) FROM via_socket"));
    }

    void tcpStillWorksNextToTheSocket() {
        MariaDbTestDatabase db(sharedMariaDb(), false);
        auto store = open(db.settings("via_socket"));
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("s1", rec).ok());
    }

    void aSecondSocketPathIsRefusedWithAReason() {
        MariaDbTestDatabase db(sharedMariaDb(), true);
        auto settings = db.settings("via_socket");
        settings["db_host"] = "socket:/tmp/another-mysqld.sock";
        try {
            open(settings);
            CPPUNIT_FAIL("accepted a second socket path");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
            CPPUNIT_ASSERT_MESSAGE(
                e.what(), std::string(e.what()).find("only one socket path") != std::string::npos);
        }
    }

private:
    std::unique_ptr<sdk::AuthClient> open(std::map<std::string, std::string> settings) {
        settings["create_tables"] = "true";
        host->settings = settings;
        return host->createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "table");
    }

    std::unique_ptr<sdk::testing::FakeHost> host;
    sdk::testing::LoadedPlugin plugin;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbSocketTest);

}  // namespace rport::test
