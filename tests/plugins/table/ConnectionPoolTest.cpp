// ConnectionPool on real SQLite connections, with a short wait: adopt() keeps
// to the cap, a full pool makes callers wait for a connection to come back
// and then gives up with Exhausted, which is not a connection failure.
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <future>
#include <optional>

#include "ConnectionPool.h"
#include "PoolTestDatabase.h"

namespace rport::test {

using plugins::table::Connection;
using plugins::table::ConnectionPool;
using namespace std::chrono_literals;

class ConnectionPoolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionPoolTest);
    CPPUNIT_TEST(adoptedConnectionIsHandedOutFirst);
    CPPUNIT_TEST(adoptIntoAFullPoolClosesTheConnection);
    CPPUNIT_TEST(adoptCountsIdleConnectionsToo);
    CPPUNIT_TEST(fullPoolMakesCallersWaitForAReturn);
    CPPUNIT_TEST(waitThatOutlastsPatienceIsExhaustedNotAFailure);
    CPPUNIT_TEST_SUITE_END();

    std::atomic<int> opened{0};

    std::unique_ptr<Connection> connect() {
        PoolTestDatabase& db = poolTestDatabase();
        ++opened;
        return std::make_unique<Connection>(db.open(), db.type());
    }

public:
    void adoptedConnectionIsHandedOutFirst() {
        ConnectionPool pool([this] { return connect(); }, 2, 100ms);
        CPPUNIT_ASSERT(pool.adopt(connect()));
        ConnectionPool::Lease lease = pool.acquire();
        CPPUNIT_ASSERT(lease.reused());
        CPPUNIT_ASSERT_EQUAL(1, opened.load());
        lease->ping();
    }

    void adoptIntoAFullPoolClosesTheConnection() {
        ConnectionPool pool([this] { return connect(); }, 1, 100ms);
        std::optional<ConnectionPool::Lease> held(pool.acquire());
        CPPUNIT_ASSERT(!pool.adopt(connect()));
        held.reset();
        // Only the returned connection is idle: a second caller at once
        // finds the pool full again.
        ConnectionPool::Lease first = pool.acquire();
        CPPUNIT_ASSERT_THROW(pool.acquire(), ConnectionPool::Exhausted);
    }

    void adoptCountsIdleConnectionsToo() {
        ConnectionPool pool([this] { return connect(); }, 2, 100ms);
        CPPUNIT_ASSERT(pool.adopt(connect()));
        CPPUNIT_ASSERT(pool.adopt(connect()));
        CPPUNIT_ASSERT(!pool.adopt(connect()));
        ConnectionPool::Lease a = pool.acquire();
        ConnectionPool::Lease b = pool.acquire();
        CPPUNIT_ASSERT(a.reused() && b.reused());
        CPPUNIT_ASSERT_THROW(pool.acquire(), ConnectionPool::Exhausted);
        CPPUNIT_ASSERT_EQUAL(3, opened.load());
    }

    void fullPoolMakesCallersWaitForAReturn() {
        ConnectionPool pool([this] { return connect(); }, 1, 5000ms);
        std::optional<ConnectionPool::Lease> held(pool.acquire());
        auto waiting = std::async(std::launch::async, [&] {
            ConnectionPool::Lease lease = pool.acquire();
            return lease.reused();
        });
        CPPUNIT_ASSERT(waiting.wait_for(100ms) == std::future_status::timeout);
        held.reset();
        CPPUNIT_ASSERT(waiting.wait_for(2s) == std::future_status::ready);
        CPPUNIT_ASSERT(waiting.get());
        CPPUNIT_ASSERT_EQUAL(1, opened.load());
    }

    void waitThatOutlastsPatienceIsExhaustedNotAFailure() {
        ConnectionPool pool([this] { return connect(); }, 1, 150ms);
        ConnectionPool::Lease held = pool.acquire();
        const auto started = std::chrono::steady_clock::now();
        try {
            pool.acquire();
            CPPUNIT_FAIL("acquired a second connection from a pool of one");
        } catch (const ConnectionPool::Exhausted& e) {
            CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started >= 150ms);
            CPPUNIT_ASSERT_EQUAL(std::string("all 1 database connections stayed in use for 150 ms"),
                                 std::string(e.what()));
        } catch (const Poco::Exception& e) {
            CPPUNIT_FAIL("reported as a database failure: " + e.displayText());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionPoolTest);

}  // namespace rport::test
