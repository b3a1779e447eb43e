// The registry's rules for connecting clients (rport-behaviour.md §6.3),
// disconnecting, purging, and what survives a restart in clients.db.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <map>

#include "TempDir.h"
#include "clients/ClientRegistry.h"

using namespace rportd::clients;
using rport::test::TempDir;

namespace {

constexpr int64_t kSecond = 1000000000;

ConnectionRequest request(const std::string& id, const std::string& session = "s1") {
    ConnectionRequest r;
    r.id = id;
    r.name = "name-" + id;
    r.sessionId = session;
    r.version = "0.9.13";
    r.tags = std::vector<std::string>{"t"};
    return r;
}

}  // namespace

class ClientRegistryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientRegistryTest);
    CPPUNIT_TEST(acceptsANewClient);
    CPPUNIT_TEST(picksAnIdWhenTheClientHasNone);
    CPPUNIT_TEST(refusesASecondConnectionOfAConnectedClient);
    CPPUNIT_TEST(resumesTheSameSession);
    CPPUNIT_TEST(checksTheVersionOfReconnectingClients);
    CPPUNIT_TEST(singleUseCredentials);
    CPPUNIT_TEST(disconnectKeepsTheRecord);
    CPPUNIT_TEST(keepZeroDeletesOnDisconnect);
    CPPUNIT_TEST(purgeDeletesWhatIsKeptTooLong);
    CPPUNIT_TEST(countsFollowEveryChange);
    CPPUNIT_TEST(heartbeatsAreRemembered);
    CPPUNIT_TEST(boundClientsAreCountedAndRemoved);
    CPPUNIT_TEST(onlyDisconnectedClientsMayBeDeleted);
    CPPUNIT_TEST(restartReloadsClientsAsDisconnected);
    CPPUNIT_TEST(loadsTheOriginalsDatabase);
    CPPUNIT_TEST(aDamagedDatabaseStopsTheStart);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    int64_t clock = 1000 * kSecond;
    std::vector<std::pair<std::string, uint64_t>> closed;

    std::unique_ptr<ClientRegistry> make(std::optional<int64_t> keepSeconds = std::nullopt) {
        RegistryOptions options;
        if (keepSeconds) options.keepDisconnected = std::chrono::seconds(*keepSeconds);
        auto r = std::make_unique<ClientRegistry>(options, [this] { return clock; });
        r->setCloser([this](const std::string& id, uint64_t connection) {
            closed.emplace_back(id, connection);
        });
        return r;
    }

public:
    void acceptsANewClient() {
        auto r = make();
        ConnectResult res = r->connect(request("c1"), "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT_MESSAGE(res.refusal, res.accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("c1"), res.clientId);
        CPPUNIT_ASSERT(res.connection != 0);
        auto view = r->find("c1");
        CPPUNIT_ASSERT(view);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), view->record->address);
        CPPUNIT_ASSERT_EQUAL(std::string("auth"), view->record->clientAuthId);
        CPPUNIT_ASSERT_EQUAL(std::string("name-c1"), view->record->name);
        CPPUNIT_ASSERT(view->record->connected());
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), r->counts().connected);
    }

    void picksAnIdWhenTheClientHasNone() {
        auto r = make();
        // Multi-use credentials (the default): a random UUIDv4.
        ConnectResult a = r->connect(request(""), "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT(a.accepted);
        CPPUNIT_ASSERT_EQUAL(size_t(36), a.clientId.size());
        CPPUNIT_ASSERT_EQUAL('4', a.clientId[14]);
        // Single-use and equated: the credential's id.
        ConnectResult b = r->connect(request(""), "solo", "192.0.2.1", ConnectPolicy{false, true});
        CPPUNIT_ASSERT_EQUAL(std::string("solo"), b.clientId);
        // Equating needs single-use credentials.
        ConnectResult c = r->connect(request(""), "other", "192.0.2.1", ConnectPolicy{true, true});
        CPPUNIT_ASSERT(c.clientId != "other" && c.clientId.size() == 36);
        ConnectResult d =
            r->connect(request(""), "fourth", "192.0.2.1", ConnectPolicy{false, false});
        CPPUNIT_ASSERT(d.clientId != "fourth" && d.clientId.size() == 36);
    }

    void refusesASecondConnectionOfAConnectedClient() {
        auto r = make();
        CPPUNIT_ASSERT(r->connect(request("c1", "s1"), "auth", "192.0.2.1", {}).accepted);
        ConnectResult again = r->connect(request("c1", "s2"), "auth", "192.0.2.2", {});
        CPPUNIT_ASSERT(!again.accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("client is already connected: name-c1 [c1]"),
                             again.refusal);
        // An empty session id never resumes anything.
        CPPUNIT_ASSERT(!r->connect(request("c1", ""), "auth", "192.0.2.2", {}).accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), r->find("c1")->record->address);
    }

    void resumesTheSameSession() {
        auto r = make();
        ConnectResult first = r->connect(request("c1", "s1"), "auth", "192.0.2.1", {});
        ConnectResult second = r->connect(request("c1", "s1"), "auth", "192.0.2.2", {});
        CPPUNIT_ASSERT_MESSAGE(second.refusal, second.accepted);
        CPPUNIT_ASSERT(second.connection != first.connection);
        // The stale connection is handed back to be closed ...
        CPPUNIT_ASSERT_EQUAL(size_t(1), closed.size());
        CPPUNIT_ASSERT_EQUAL(first.connection, closed[0].second);
        // ... and its end does not disconnect the resumed session.
        r->disconnect("c1", first.connection);
        CPPUNIT_ASSERT(r->find("c1")->record->connected());
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.2"), r->find("c1")->record->address);
        r->disconnect("c1", second.connection);
        CPPUNIT_ASSERT(!r->find("c1")->record->connected());
    }

    void checksTheVersionOfReconnectingClients() {
        auto r = make();
        ConnectionRequest bad = request("c1");
        bad.version = "not-a-version";
        // A new client is not checked ...
        ConnectResult first = r->connect(bad, "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT(first.accepted);
        r->disconnect("c1", first.connection);
        // ... a returning one is.
        ConnectResult again = r->connect(bad, "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT(!again.accepted);
        CPPUNIT_ASSERT_EQUAL(
            std::string("failed to determine client version: Malformed version: not-a-version"),
            again.refusal);
        CPPUNIT_ASSERT(r->connect(request("c1"), "auth", "192.0.2.1", {}).accepted);
    }

    void singleUseCredentials() {
        auto r = make();
        const ConnectPolicy single{false, false};
        ConnectResult a = r->connect(request("a"), "shared", "192.0.2.1", single);
        CPPUNIT_ASSERT(a.accepted);
        ConnectResult b = r->connect(request("b"), "shared", "192.0.2.1", single);
        CPPUNIT_ASSERT(!b.accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("client auth ID is already in use: \"shared\""),
                             b.refusal);
        // A disconnected record still holds the credential ...
        r->disconnect("a", a.connection);
        CPPUNIT_ASSERT(!r->connect(request("b"), "shared", "192.0.2.1", single).accepted);
        // ... but the same client may come back with it.
        CPPUNIT_ASSERT(r->connect(request("a"), "shared", "192.0.2.1", single).accepted);
        // Multi-use credentials do not care.
        CPPUNIT_ASSERT(r->connect(request("b"), "shared", "192.0.2.1", {}).accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("client auth ID is already in use: \"q\\\"\\\\\""),
                             (r->connect(request("x"), "q\"\\", "ip", {}),
                              r->connect(request("y"), "q\"\\", "ip", single).refusal));
    }

    void disconnectKeepsTheRecord() {
        auto r = make();
        ConnectResult a = r->connect(request("c1"), "auth", "192.0.2.1", {});
        clock += 5 * kSecond;
        r->disconnect("c1", a.connection);
        auto view = r->find("c1");
        CPPUNIT_ASSERT(view && !view->record->connected());
        CPPUNIT_ASSERT_EQUAL(clock, *view->record->disconnectedAt);
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), r->counts().connected);
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), r->counts().disconnected);
        // Without purging it stays however long it is gone.
        clock += 1000000 * kSecond;
        CPPUNIT_ASSERT_EQUAL(size_t(0), r->purge());
        CPPUNIT_ASSERT(r->find("c1"));
    }

    void keepZeroDeletesOnDisconnect() {
        std::string path = dir.file("keep0.db");
        {
            auto r = make(0);
            r->open(path, true);
            ConnectResult a = r->connect(request("c1"), "auth", "192.0.2.1", {});
            r->disconnect("c1", a.connection);
            CPPUNIT_ASSERT(!r->find("c1"));
            CPPUNIT_ASSERT_EQUAL(uint64_t(0), r->counts().disconnected);
        }
        auto again = make();
        again->open(path, true);
        CPPUNIT_ASSERT(again->list().empty());
    }

    // The counts /status shows are kept up to date instead of walked; after
    // any mix of changes they must match what a walk of the clients finds.
    void countsFollowEveryChange() {
        for (std::optional<int64_t> keep : {std::optional<int64_t>{}, std::optional<int64_t>{20}}) {
            auto r = make(keep);
            std::map<std::string, uint64_t> connections;
            uint32_t seed = 7;
            auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
            for (int step = 0; step < 400; ++step) {
                std::string id = "c" + std::to_string(next() % 12);
                switch (next() % 5) {
                    case 0:
                    case 1: {
                        ConnectResult c = r->connect(request(id, "s" + std::to_string(next() % 2)),
                                                     "auth", "192.0.2.1", {});
                        if (c.accepted) connections[id] = c.connection;
                        break;
                    }
                    case 2:
                        if (connections.count(id)) r->disconnect(id, connections[id]);
                        break;
                    case 3:
                        r->removeDisconnected(id);
                        break;
                    default:
                        clock += int64_t(next() % 15) * kSecond;
                        if (next() % 3 == 0) r->purge();
                }
                uint64_t connected = 0, disconnected = 0;
                for (const auto& view : r->list())
                    (view.record->connected() ? connected : disconnected)++;
                auto counts = r->counts();
                CPPUNIT_ASSERT_EQUAL_MESSAGE("step " + std::to_string(step), connected,
                                             counts.connected);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("step " + std::to_string(step), disconnected,
                                             counts.disconnected);
            }
        }
    }

    void purgeDeletesWhatIsKeptTooLong() {
        std::string path = dir.file("purge.db");
        {
            auto r = make(60);
            r->open(path, true);
            ConnectResult a = r->connect(request("old"), "auth", "192.0.2.1", {});
            ConnectResult b = r->connect(request("new"), "auth", "192.0.2.1", {});
            r->connect(request("live"), "auth", "192.0.2.1", {});
            r->disconnect("old", a.connection);
            clock += 30 * kSecond;
            r->disconnect("new", b.connection);
            clock += 31 * kSecond;
            // "old" is obsolete: hidden at once, deleted by purge().
            CPPUNIT_ASSERT(!r->find("old"));
            CPPUNIT_ASSERT_EQUAL(size_t(2), r->list().size());
            CPPUNIT_ASSERT_EQUAL(uint64_t(1), r->counts().disconnected);
            CPPUNIT_ASSERT_EQUAL(size_t(1), r->purge());
            CPPUNIT_ASSERT_EQUAL(size_t(0), r->purge());
            // An obsolete record does not hold its id: it connects anew.
            clock += 60 * kSecond;
            CPPUNIT_ASSERT(!r->find("new"));
            CPPUNIT_ASSERT(r->connect(request("new", "other"), "auth", "192.0.2.1", {}).accepted);
        }
        auto again = make();
        again->open(path, true);
        CPPUNIT_ASSERT(!again->find("old"));
        CPPUNIT_ASSERT(again->find("new"));
        CPPUNIT_ASSERT(again->find("live"));
    }

    void heartbeatsAreRemembered() {
        auto r = make();
        r->connect(request("c1"), "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT(!r->find("c1")->lastHeartbeatAt);
        clock += kSecond;
        r->heartbeat("c1");
        r->heartbeat("unknown");
        CPPUNIT_ASSERT_EQUAL(clock, *r->find("c1")->lastHeartbeatAt);
        CPPUNIT_ASSERT_EQUAL(clock, *r->list().front().lastHeartbeatAt);
    }

    void boundClientsAreCountedAndRemoved() {
        std::string path = dir.file("bound.db");
        auto r = make();
        r->open(path, true);
        ConnectResult a = r->connect(request("a"), "shared", "192.0.2.1", {});
        ConnectResult b = r->connect(request("b"), "shared", "192.0.2.1", {});
        r->connect(request("c"), "other", "192.0.2.1", {});
        r->disconnect("b", b.connection);
        CPPUNIT_ASSERT_EQUAL(size_t(2), r->countBoundTo("shared"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), r->removeBoundTo("shared"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), r->countBoundTo("shared"));
        // Only the connected one is closed.
        CPPUNIT_ASSERT_EQUAL(size_t(1), closed.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a"), closed[0].first);
        CPPUNIT_ASSERT_EQUAL(a.connection, closed[0].second);
        // The end of its connection does not bring it back.
        r->disconnect("a", a.connection);
        CPPUNIT_ASSERT(!r->find("a"));
        r.reset();
        auto again = make();
        again->open(path, true);
        CPPUNIT_ASSERT_EQUAL(size_t(1), again->list().size());
    }

    void onlyDisconnectedClientsMayBeDeleted() {
        auto r = make();
        ConnectResult a = r->connect(request("a"), "auth", "192.0.2.1", {});
        CPPUNIT_ASSERT(r->removeDisconnected("a") == ClientRegistry::RemoveResult::Connected);
        r->disconnect("a", a.connection);
        CPPUNIT_ASSERT(r->removeDisconnected("a") == ClientRegistry::RemoveResult::Removed);
        CPPUNIT_ASSERT(r->removeDisconnected("a") == ClientRegistry::RemoveResult::NotFound);
    }

    void restartReloadsClientsAsDisconnected() {
        std::string path = dir.file("restart.db");
        int64_t disconnectedAt = 0;
        {
            auto r = make();
            r->open(path, true);
            ConnectionRequest full = request("gone");
            full.labels = std::map<std::string, std::string>{{"k", "v"}};
            full.ipv4 = std::vector<std::string>{};
            full.clientConfigurationJson = "{\"client\":{\"id\":\"gone\"}}";
            ConnectResult a = r->connect(full, "auth", "192.0.2.1", {});
            clock += kSecond;
            r->disconnect("gone", a.connection);
            disconnectedAt = clock;
            r->connect(request("live"), "auth", "192.0.2.7", {});
        }
        clock += 100 * kSecond;
        auto r = make();
        r->open(path, true);
        auto gone = r->find("gone");
        CPPUNIT_ASSERT(gone);
        CPPUNIT_ASSERT_EQUAL(disconnectedAt, *gone->record->disconnectedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("v"), gone->record->labels->at("k"));
        CPPUNIT_ASSERT(gone->record->ipv4 && gone->record->ipv4->empty());
        CPPUNIT_ASSERT(!gone->record->ipv6);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"client\":{\"id\":\"gone\"}}"),
                             gone->record->clientConfigurationJson);
        // The session id is not kept (as in the original): nothing to resume.
        CPPUNIT_ASSERT_EQUAL(std::string(""), gone->record->sessionId);
        auto live = r->find("live");
        CPPUNIT_ASSERT(!live->record->connected());
        CPPUNIT_ASSERT_EQUAL(clock, *live->record->disconnectedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), live->record->address);
        // ... and that was written back.
        r.reset();
        clock += kSecond;
        auto third = make();
        third->open(path, true);
        CPPUNIT_ASSERT_EQUAL(clock - kSecond, *third->find("live")->record->disconnectedAt);
        // A client that comes back takes up its record.
        ConnectResult back =
            third->connect(request("live", "new-session"), "auth", "192.0.2.8", {});
        CPPUNIT_ASSERT_MESSAGE(back.refusal, back.accepted);
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), third->counts().connected);
    }

    void loadsTheOriginalsDatabase() {
        std::string path = dir.file("original.db");
        {
            std::ifstream in(
                rport::test::sourceDir() + "/tests/fixtures/clients/original-clients.db",
                std::ios::binary);
            std::ofstream out(path, std::ios::binary);
            out << in.rdbuf();
        }
        auto r = make();
        r->open(path, true);
        CPPUNIT_ASSERT_EQUAL(size_t(2), r->list().size());
        CPPUNIT_ASSERT_EQUAL(uint64_t(2), r->counts().disconnected);
        ConnectResult back = r->connect(request("c1"), "clientAuth1", "127.0.0.1", {});
        CPPUNIT_ASSERT_MESSAGE(back.refusal, back.accepted);
    }

    void aDamagedDatabaseStopsTheStart() {
        std::string path = dir.write("damaged.db", "SQLite format 3" + std::string(5000, '\x01'));
        auto r = make();
        try {
            r->open(path, true);
            CPPUNIT_FAIL("a damaged clients.db was accepted");
        } catch (const ClientStoreError& e) {
            CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find(path) != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientRegistryTest);
