// PooledDatabase at its real limits (16 connections, 5 s wait) on real
// connections: a connection handed over with adopt() never takes the pool
// beyond the cap, and callers that find every connection in use are told the
// database is busy, which is not an outage.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <future>
#include <rport/testing.hpp>
#include <thread>
#include <vector>

#include "PoolTestDatabase.h"
#include "PooledDatabase.h"

namespace rport::test {

using plugins::table::Connection;
using plugins::table::PooledDatabase;
using Access = PooledDatabase::Access;
using namespace std::chrono_literals;

namespace {

// A real connection that keeps count of how many are open at once.
class CountedConnection : public Connection {
public:
    CountedConnection(PoolTestDatabase& db, std::atomic<int>& open, std::atomic<int>& most)
        : Connection(db.open(), db.type()), _open(open) {
        const int now = ++_open;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
    }
    ~CountedConnection() override { --_open; }

private:
    std::atomic<int>& _open;
};

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

class PooledDatabaseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PooledDatabaseTest);
    CPPUNIT_TEST(adoptedConnectionBeyondTheCapIsClosed);
    CPPUNIT_TEST(exhaustedPoolIsBusyNotUnavailable);
    CPPUNIT_TEST(waitingCallGetsAReturnedConnection);
    CPPUNIT_TEST_SUITE_END();

    static constexpr int kCap = static_cast<int>(PooledDatabase::kMaxConnections);

    std::unique_ptr<sdk::testing::FakeHost> host;
    std::unique_ptr<PooledDatabase> db;
    std::atomic<int> openNow{0};
    std::atomic<int> openAtMost{0};

    // Keeps calls running on their own threads, each holding a connection,
    // until release().
    class Occupation {
    public:
        Occupation(PooledDatabase& db, int calls) : _released(_release.get_future().share()) {
            for (int i = 0; i < calls; ++i)
                _calls.push_back(std::async(std::launch::async, [this, &db] {
                    db.run<Connection>("hold", Access::Read, [this](Connection&) {
                        ++_holding;
                        _released.wait_for(30s);
                        return true;
                    });
                }));
            const auto deadline = std::chrono::steady_clock::now() + 10s;
            while (_holding < calls && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(2ms);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("calls holding a connection", calls, _holding.load());
        }
        ~Occupation() {
            try {
                release();
            } catch (...) {
            }
        }
        // Lets the calls finish; rethrows what one of them failed with.
        void release() {
            if (_done) return;
            _done = true;
            _release.set_value();
            for (auto& call : _calls) call.get();
        }

    private:
        std::promise<void> _release;
        std::shared_future<void> _released;
        std::vector<std::future<void>> _calls;
        std::atomic<int> _holding{0};
        bool _done = false;
    };

    bool ping(const char* action) {
        return db->run<Connection>(action, Access::Read, [](Connection& c) {
            c.ping();
            return true;
        });
    }

public:
    void setUp() override {
        host = std::make_unique<sdk::testing::FakeHost>();
        PoolTestDatabase& database = poolTestDatabase();
        db = std::make_unique<PooledDatabase>(
            sdk::Host(host->api(), host->ctx()), database.description(), "table 'pool'",
            [this, &database]() -> std::unique_ptr<Connection> {
                return std::make_unique<CountedConnection>(database, openNow, openAtMost);
            });
    }
    void tearDown() override {
        db.reset();
        host.reset();
        CPPUNIT_ASSERT_EQUAL(0, openNow.load());
    }

    void adoptedConnectionBeyondTheCapIsClosed() {
        Occupation full(*db, kCap);
        CPPUNIT_ASSERT_EQUAL(kCap, openNow.load());
        db->adopt(db->openFirst());
        CPPUNIT_ASSERT_EQUAL(kCap, openNow.load());
        full.release();
        CPPUNIT_ASSERT(ping("after"));
        CPPUNIT_ASSERT_EQUAL(kCap, openNow.load());
        CPPUNIT_ASSERT_EQUAL(kCap + 1, openAtMost.load());  // the extra one, until adopt closed it
    }

    void exhaustedPoolIsBusyNotUnavailable() {
        Occupation full(*db, kCap);
        const auto started = std::chrono::steady_clock::now();
        try {
            ping("get");
            CPPUNIT_FAIL("a call found a connection in a pool that had none free");
        } catch (const sdk::Error& e) {
            const auto waited = std::chrono::steady_clock::now() - started;
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), e.code());
            const std::string message = e.what();
            CPPUNIT_ASSERT_MESSAGE(
                message, contains(message,
                                  "get: database busy: all 16 database connections "
                                  "stayed in use for 5000 ms (" +
                                      poolTestDatabase().description() + ", table 'pool')"));
            CPPUNIT_ASSERT_MESSAGE(message, !contains(message, "unavailable"));
            CPPUNIT_ASSERT(waited >= PooledDatabase::kWaitForConnection - 100ms);
        }
        // Busy is not an outage: no "database is down" warning, none "back".
        CPPUNIT_ASSERT(!host->logged("failing calls until it is back"));
        full.release();
        CPPUNIT_ASSERT(ping("after"));
        CPPUNIT_ASSERT(!host->logged("database reachable again"));
    }

    void waitingCallGetsAReturnedConnection() {
        Occupation full(*db, kCap);
        auto waiting = std::async(std::launch::async, [this] { return ping("waiting"); });
        CPPUNIT_ASSERT(waiting.wait_for(200ms) == std::future_status::timeout);
        full.release();
        CPPUNIT_ASSERT(waiting.wait_for(2s) == std::future_status::ready);
        CPPUNIT_ASSERT(waiting.get());
        CPPUNIT_ASSERT_EQUAL(kCap, openAtMost.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PooledDatabaseTest);

}  // namespace rport::test
