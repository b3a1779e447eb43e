// The timer thread behind timer_start/timer_cancel, and its cancel guarantee.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "plugin_host/TimerService.h"

using rportd::plugin_host::TimerService;
using std::chrono::milliseconds;

namespace {

bool eventually(const std::function<bool()>& condition, milliseconds limit = milliseconds(3000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(milliseconds(2));
    }
    return condition();
}

// Owners are compared by address only.
int kOwnerA, kOwnerB;

}  // namespace

class TimerServiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimerServiceTest);
    CPPUNIT_TEST(testOneShotFiresOnce);
    CPPUNIT_TEST(testPeriodicFiresRepeatedly);
    CPPUNIT_TEST(testEarlierDueFiresFirst);
    CPPUNIT_TEST(testCancelBeforeFiring);
    CPPUNIT_TEST(testCancelWaitsForRunningCallback);
    CPPUNIT_TEST(testCancelFromInsideCallbackDoesNotDeadlock);
    CPPUNIT_TEST(testCancelOfForeignOwnerRefused);
    CPPUNIT_TEST(testCancelAllStopsOnlyThatOwner);
    CPPUNIT_TEST(testCancelAllWaitsForRunningCallback);
    CPPUNIT_TEST(testThrowingCallbackKeepsThreadAlive);
    CPPUNIT_TEST(testDestructionWithPendingTimers);
    CPPUNIT_TEST(testUnsignedDelaysAreCutNotWrapped);
    CPPUNIT_TEST(testDelaysOfCenturiesDoNotOverflow);
    CPPUNIT_TEST(testNegativeDelayFiresAtOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOneShotFiresOnce() {
        TimerService timers;
        std::atomic<int> count{0};
        const uint64_t id =
            timers.start(&kOwnerA, milliseconds(1), milliseconds(0), [&] { ++count; });
        CPPUNIT_ASSERT(id != 0);
        CPPUNIT_ASSERT(eventually([&] { return count.load() == 1; }));
        std::this_thread::sleep_for(milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(1, count.load());
        CPPUNIT_ASSERT_EQUAL(size_t(0), timers.pending());
        CPPUNIT_ASSERT(!timers.cancel(&kOwnerA, id));
    }

    void testPeriodicFiresRepeatedly() {
        TimerService timers;
        std::atomic<int> count{0};
        const uint64_t id =
            timers.start(&kOwnerA, milliseconds(0), milliseconds(2), [&] { ++count; });
        CPPUNIT_ASSERT(eventually([&] { return count.load() >= 5; }));
        CPPUNIT_ASSERT(timers.cancel(&kOwnerA, id));
        const int stopped = count.load();
        std::this_thread::sleep_for(milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(stopped, count.load());
    }

    void testEarlierDueFiresFirst() {
        TimerService timers;
        std::mutex m;
        std::vector<int> order;
        timers.start(&kOwnerA, milliseconds(60), milliseconds(0), [&] {
            std::lock_guard<std::mutex> g(m);
            order.push_back(2);
        });
        timers.start(&kOwnerA, milliseconds(10), milliseconds(0), [&] {
            std::lock_guard<std::mutex> g(m);
            order.push_back(1);
        });
        CPPUNIT_ASSERT(eventually([&] {
            std::lock_guard<std::mutex> g(m);
            return order.size() == 2;
        }));
        CPPUNIT_ASSERT(order == (std::vector<int>{1, 2}));
    }

    void testCancelBeforeFiring() {
        TimerService timers;
        std::atomic<int> count{0};
        const uint64_t id =
            timers.start(&kOwnerA, milliseconds(50), milliseconds(0), [&] { ++count; });
        CPPUNIT_ASSERT(timers.cancel(&kOwnerA, id));
        std::this_thread::sleep_for(milliseconds(100));
        CPPUNIT_ASSERT_EQUAL(0, count.load());
    }

    void testCancelWaitsForRunningCallback() {
        TimerService timers;
        std::atomic<bool> started{false}, finished{false};
        std::atomic<int> runs{0};
        const uint64_t id = timers.start(&kOwnerA, milliseconds(0), milliseconds(1), [&] {
            ++runs;
            started = true;
            std::this_thread::sleep_for(milliseconds(150));
            finished = true;
        });
        CPPUNIT_ASSERT(eventually([&] { return started.load(); }));
        CPPUNIT_ASSERT(timers.cancel(&kOwnerA, id));
        // The guarantee: once cancel returns the callback is not running...
        CPPUNIT_ASSERT(finished.load());
        // ...and never runs again.
        const int after = runs.load();
        std::this_thread::sleep_for(milliseconds(30));
        CPPUNIT_ASSERT_EQUAL(after, runs.load());
    }

    void testCancelFromInsideCallbackDoesNotDeadlock() {
        TimerService timers;
        std::atomic<int> runs{0};
        std::atomic<uint64_t> id{0};
        std::promise<void> cancelled;
        id = timers.start(&kOwnerA, milliseconds(0), milliseconds(1), [&] {
            if (++runs == 3) {
                timers.cancel(&kOwnerA, id.load());  // would wait for itself if it waited
                cancelled.set_value();
            }
        });
        CPPUNIT_ASSERT(cancelled.get_future().wait_for(std::chrono::seconds(5)) ==
                       std::future_status::ready);
        std::this_thread::sleep_for(milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(3, runs.load());
        CPPUNIT_ASSERT_EQUAL(size_t(0), timers.pending());
    }

    void testCancelOfForeignOwnerRefused() {
        TimerService timers;
        const uint64_t id = timers.start(&kOwnerA, milliseconds(10000), milliseconds(0), [] {});
        CPPUNIT_ASSERT(!timers.cancel(&kOwnerB, id));
        CPPUNIT_ASSERT_EQUAL(size_t(1), timers.pending());
        CPPUNIT_ASSERT(timers.cancel(&kOwnerA, id));
        CPPUNIT_ASSERT(!timers.cancel(&kOwnerA, 987654));
    }

    void testCancelAllStopsOnlyThatOwner() {
        TimerService timers;
        std::atomic<int> a{0}, b{0};
        timers.start(&kOwnerA, milliseconds(0), milliseconds(2), [&] { ++a; });
        timers.start(&kOwnerA, milliseconds(0), milliseconds(3), [&] { ++a; });
        timers.start(&kOwnerB, milliseconds(0), milliseconds(2), [&] { ++b; });
        CPPUNIT_ASSERT(eventually([&] { return a.load() > 2 && b.load() > 2; }));
        timers.cancelAll(&kOwnerA);
        const int aStopped = a.load(), bBefore = b.load();
        CPPUNIT_ASSERT(eventually([&] { return b.load() > bBefore + 2; }));
        CPPUNIT_ASSERT_EQUAL(aStopped, a.load());
        CPPUNIT_ASSERT_EQUAL(size_t(1), timers.pending());
    }

    void testCancelAllWaitsForRunningCallback() {
        TimerService timers;
        std::atomic<bool> started{false}, finished{false};
        timers.start(&kOwnerA, milliseconds(0), milliseconds(0), [&] {
            started = true;
            std::this_thread::sleep_for(milliseconds(150));
            finished = true;
        });
        CPPUNIT_ASSERT(eventually([&] { return started.load(); }));
        timers.cancelAll(&kOwnerA);
        CPPUNIT_ASSERT(finished.load());
    }

    void testThrowingCallbackKeepsThreadAlive() {
        TimerService timers;
        std::atomic<int> count{0};
        timers.start(&kOwnerA, milliseconds(0), milliseconds(0),
                     [] { throw std::runtime_error("bad callback"); });
        timers.start(&kOwnerA, milliseconds(5), milliseconds(0), [&] { ++count; });
        CPPUNIT_ASSERT(eventually([&] { return count.load() == 1; }));
    }

    void testDestructionWithPendingTimers() {
        std::atomic<int> count{0};
        {
            TimerService timers;
            timers.start(&kOwnerA, milliseconds(10000), milliseconds(0), [&] { ++count; });
        }
        CPPUNIT_ASSERT_EQUAL(0, count.load());
    }

    void testUnsignedDelaysAreCutNotWrapped() {
        const uint64_t twoTo33 = uint64_t(1) << 33;
        CPPUNIT_ASSERT_EQUAL(int64_t(twoTo33), int64_t(TimerService::delayFromUnsigned(twoTo33).count()));
        CPPUNIT_ASSERT(TimerService::delayFromUnsigned(0) == milliseconds(0));
        // 2^64-1 would be -1 as a signed count.
        CPPUNIT_ASSERT(TimerService::delayFromUnsigned(UINT64_MAX) == TimerService::kLongestDelay);
        CPPUNIT_ASSERT(TimerService::delayFromUnsigned(uint64_t(INT64_MAX) + 1) ==
                       TimerService::kLongestDelay);
    }

    // milliseconds::max() is 292 million years; steady_clock's nanoseconds
    // hold 292 years. Unclamped, the due time would wrap into the past and
    // the timer would fire at once.
    void testDelaysOfCenturiesDoNotOverflow() {
        TimerService timers;
        std::atomic<int> late{0}, soon{0};
        timers.start(&kOwnerA, milliseconds::max(), milliseconds::max(), [&] { ++late; });
        timers.start(&kOwnerA, TimerService::kLongestDelay, milliseconds(0), [&] { ++late; });
        timers.start(&kOwnerA, milliseconds(2), milliseconds(0), [&] { ++soon; });
        CPPUNIT_ASSERT(eventually([&] { return soon.load() == 1; }));
        std::this_thread::sleep_for(milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(0, late.load());
        CPPUNIT_ASSERT_EQUAL(size_t(2), timers.pending());
    }

    void testNegativeDelayFiresAtOnce() {
        TimerService timers;
        std::atomic<int> count{0};
        timers.start(&kOwnerA, milliseconds(-5000), milliseconds(-1), [&] { ++count; });
        CPPUNIT_ASSERT(eventually([&] { return count.load() == 1; }));
        // A negative period counts as zero: once.
        CPPUNIT_ASSERT(eventually([&] { return timers.pending() == 0; }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimerServiceTest);
