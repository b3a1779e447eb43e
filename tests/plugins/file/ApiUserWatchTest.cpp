// api-auth/file: edits made to the users file while rportd runs are picked
// up completely or not at all, exactly as for the client-auth file.
#include <cppunit/extensions/HelperMacros.h>

#include "ApiUserFixtures.h"
#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using rport::sdk::AuthRecord;

class ApiUserWatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiUserWatchTest);
    CPPUNIT_TEST(picksUpAReplacementByRename);
    CPPUNIT_TEST(brokenEditKeepsTheLastGoodSetUntilFixed);
    CPPUNIT_TEST(periodicCheckWorksWithoutInotify);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    // inotify alone, so a pass proves the watcher rather than the safety net.
    const Settings inotifyOnly{{"check_interval_ms", "0"}};
    const std::string hash = bcryptOf("pw");

    static std::vector<std::string> groupsOf(rport::sdk::AuthClient& store, const std::string& id) {
        std::optional<AuthRecord> rec;
        if (!store.get(id, rec).ok()) return {"<missing>"};
        return rec->groups;
    }
    static bool exists(rport::sdk::AuthClient& store, const std::string& id) {
        std::optional<AuthRecord> rec;
        return store.get(id, rec).ok();
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(Backend::ApiAuth); }
    void tearDown() override { h.reset(); }

    void picksUpAReplacementByRename() {
        h->writeInPlace(usersJson({userJson("old", hash, {"Users"})}));
        auto store = h->open(inotifyOnly);
        h->replaceByRename(
            usersJson({userJson("new", hash, {"Administrators"}), userJson("other", hash)}));
        CPPUNIT_ASSERT(waitUntil([&] { return exists(*store, "new"); }));
        CPPUNIT_ASSERT(groupsOf(*store, "new") == std::vector<std::string>{"Administrators"});
        CPPUNIT_ASSERT(!exists(*store, "old"));
        CPPUNIT_ASSERT(waitUntil([&] {
            return h->logCount(RPORT_LOG_INFO,
                               "API users file \"" + h->path() + "\": reloaded, 2 API users") == 1;
        }));
    }

    void brokenEditKeepsTheLastGoodSetUntilFixed() {
        h->writeInPlace(usersJson({userJson("a", hash, {"Administrators"})}));
        auto store = h->open(inotifyOnly);

        h->replaceByRename("[{\"username\": \"a\", ");
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_ERROR, "not reloaded: invalid JSON") == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->logCount(RPORT_LOG_ERROR, "keeping the 1 API user loaded before"));
        CPPUNIT_ASSERT(groupsOf(*store, "a") == std::vector<std::string>{"Administrators"});

        // Valid JSON, but a plaintext password: refused as a whole.
        h->replaceByRename(usersJson({userJson("a", hash, {"Users"}), userJson("b", "plain")}));
        CPPUNIT_ASSERT(waitUntil([&] {
            return h->logCount(
                       RPORT_LOG_ERROR,
                       "not reloaded: username \"b\": require passwords to be bcrypt hashed") == 1;
        }));
        CPPUNIT_ASSERT(groupsOf(*store, "a") == std::vector<std::string>{"Administrators"});
        CPPUNIT_ASSERT(!exists(*store, "b"));

        // A duplicate is refused as well.
        h->replaceByRename(usersJson({userJson("a", hash), userJson("a", hash)}));
        CPPUNIT_ASSERT(waitUntil([&] {
            return h->logCount(RPORT_LOG_ERROR, "not reloaded: non unique username: \"a\"") == 1;
        }));
        CPPUNIT_ASSERT(groupsOf(*store, "a") == std::vector<std::string>{"Administrators"});

        h->replaceByRename(usersJson({userJson("a", hash, {"Users"}), userJson("b", hash)}));
        CPPUNIT_ASSERT(waitUntil([&] { return exists(*store, "b"); }));
        CPPUNIT_ASSERT(groupsOf(*store, "a") == std::vector<std::string>{"Users"});
    }

    void periodicCheckWorksWithoutInotify() {
        h->writeInPlace(usersJson({userJson("a", hash)}));
        auto store = h->open({{"inotify", "false"}, {"check_interval_ms", "50"}});
        h->writeInPlace(usersJson({userJson("a", hash), userJson("b", hash)}));
        CPPUNIT_ASSERT(waitUntil([&] { return exists(*store, "b"); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiUserWatchTest);
