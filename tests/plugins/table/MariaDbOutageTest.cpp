// The database goes away under a running store and comes back: calls must
// fail fast with RPORT_E_UNAVAILABLE (the host answers 503 and refuses
// client logins), and work again once the server is back, with the same
// store instance. Each test has its own server, as it stops it.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <iostream>
#include <rport/testing.hpp>
#include <thread>

#include "MariaDbServer.h"
#include "MariaDbTestDatabase.h"

namespace rport::test {

using Clock = std::chrono::steady_clock;

class MariaDbOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MariaDbOutageTest);
    CPPUNIT_TEST(killedServerIsUnavailableAtOnceThenRecovers);
    CPPUNIT_TEST(cleanlyStoppedServerIsUnavailableThenRecovers);
    CPPUNIT_TEST(hungServerTimesOutThenRecovers);
    CPPUNIT_TEST(firstCallAfterARestartCanBeAWrite);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        server = std::make_unique<MariaDbServer>();
        db = std::make_unique<MariaDbTestDatabase>(*server);
        host = std::make_unique<sdk::testing::FakeHost>();
        plugin = host->open(TABLE_PLUGIN_PATH);
        host->settings = db->settings("outage");
        host->settings["create_tables"] = "true";
        store = host->createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "table");
        sdk::AuthRecord r;
        r.id = "client1";
        r.secret = "pw";
        CPPUNIT_ASSERT(store->add(r).ok());
        // Several pooled connections, so that all of them go stale.
        std::vector<std::thread> warm;
        for (int i = 0; i < 4; ++i) warm.emplace_back([&] { expectGetWorks(); });
        for (auto& t : warm) t.join();
    }
    void tearDown() override {
        store.reset();
        plugin = {};
        host.reset();
        db.reset();
        server.reset();
    }

    void killedServerIsUnavailableAtOnceThenRecovers() {
        server->kill();
        expectUnavailableWithin("get after SIGKILL", std::chrono::seconds(2));
        expectEveryCallUnavailable();
        server->restart();
        expectRecoveryWithin("after SIGKILL", std::chrono::seconds(3));
        // One line each way, however many calls failed in between.
        CPPUNIT_ASSERT_EQUAL(1, logLinesWith("failing calls until it is back"));
        CPPUNIT_ASSERT_EQUAL(1, logLinesWith("database reachable again"));
    }

    void cleanlyStoppedServerIsUnavailableThenRecovers() {
        server->stop();
        expectUnavailableWithin("get after shutdown", std::chrono::seconds(2));
        server->restart();
        expectRecoveryWithin("after shutdown", std::chrono::seconds(3));
    }

    // A stopped process keeps its sockets open but never answers: only the
    // plugin's timeouts (connect 3 s, read 5 s) end the wait.
    void hungServerTimesOutThenRecovers() {
        server->pause();
        expectUnavailableWithin("get on a pooled connection to a hung server",
                                std::chrono::seconds(7));
        expectUnavailableWithin("get needing a new connection to a hung server",
                                std::chrono::seconds(5));
        server->resume();
        expectRecoveryWithin("after SIGCONT", std::chrono::seconds(5));
    }

    // Writes are never repeated, so a pooled connection is checked first.
    void firstCallAfterARestartCanBeAWrite() {
        server->kill();
        server->restart();
        sdk::AuthRecord r;
        r.id = "client2";
        r.secret = "pw2";
        sdk::CallResult result = store->add(r);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.ok());
        CPPUNIT_ASSERT(store->remove("client2").ok());
    }

private:
    void expectGetWorks() {
        std::optional<sdk::AuthRecord> rec;
        sdk::CallResult r = store->get("client1", rec);
        CPPUNIT_ASSERT_MESSAGE(r.message, r.ok());
    }

    void expectUnavailableWithin(const std::string& what, Clock::duration limit) {
        auto started = Clock::now();
        std::optional<sdk::AuthRecord> rec;
        sdk::CallResult r = store->get("client1", rec);
        auto took = Clock::now() - started;
        std::cerr << "  " << what << ": " << sdk::statusName(r.code) << " after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms ("
                  << r.message << ")\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.message, int32_t(RPORT_E_UNAVAILABLE), r.code);
        CPPUNIT_ASSERT_MESSAGE(what + " took too long", took < limit);
        CPPUNIT_ASSERT(r.message.find("database unavailable") != std::string::npos);
    }

    void expectEveryCallUnavailable() {
        sdk::ListPage page;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE),
                             store->list(sdk::ListQuery{}, page).code);
        sdk::AuthRecord r;
        r.id = "x";
        r.secret = "y";
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->add(r).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->remove("client1").code);
    }

    // The store is not re-created: it must find the server again by itself.
    void expectRecoveryWithin(const std::string& what, Clock::duration limit) {
        auto started = Clock::now();
        sdk::CallResult r;
        do {
            std::optional<sdk::AuthRecord> rec;
            r = store->get("client1", rec);
            if (r.ok()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } while (Clock::now() - started < limit);
        std::cerr
            << "  recovered " << what << " in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
            << " ms\n";
        CPPUNIT_ASSERT_MESSAGE("no recovery " + what + ": " + r.message, r.ok());
    }

    int logLinesWith(const std::string& needle) const {
        int n = 0;
        for (const auto& line : host->logs()) n += line.text.find(needle) != std::string::npos;
        return n;
    }

    std::unique_ptr<MariaDbServer> server;
    std::unique_ptr<MariaDbTestDatabase> db;
    std::unique_ptr<sdk::testing::FakeHost> host;
    sdk::testing::LoadedPlugin plugin;
    std::unique_ptr<sdk::AuthClient> store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbOutageTest);

}  // namespace rport::test
