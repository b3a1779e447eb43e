// The event loop (timers, cross-thread posting, stop) and the blocking pool.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "LoopRig.h"
#include "net/BlockingPool.h"
#include "net/EventLoop.h"

using namespace rportd::net;
using namespace rportd::net::test;

namespace {

// A gate a pool task waits on; the test opens it.
class Gate {
public:
    void open() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _open = true;
        }
        _cv.notify_all();
    }
    bool wait(int timeoutMs = 10000) {
        std::unique_lock<std::mutex> lock(_mutex);
        return _cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return _open; });
    }

private:
    std::mutex _mutex;
    std::condition_variable _cv;
    bool _open = false;
};

}  // namespace

class EventLoopTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EventLoopTest);
    CPPUNIT_TEST(timersFireInOrder);
    CPPUNIT_TEST(cancelWorksAlsoFromInsideATimer);
    CPPUNIT_TEST(manyCancelledTimersDoNotPileUp);
    CPPUNIT_TEST(postsKeepPerThreadOrder);
    CPPUNIT_TEST(postWakesALoopBlockedInEpollWait);
    CPPUNIT_TEST(stopFromAnotherThread);
    CPPUNIT_TEST(poolRefusesWhenItsQueueIsFull);
    CPPUNIT_TEST(poolStopRunsWhatIsQueued);
    CPPUNIT_TEST(poolKnowsItsThreads);
    CPPUNIT_TEST_SUITE_END();

public:
    void timersFireInOrder() {
        LoopRig rig;
        std::vector<int> fired;
        std::atomic<bool> done{false};
        const int64_t armedAt = rig.call([&] {
            const int64_t now = rig.loop.now();
            rig.loop.runAfter(std::chrono::milliseconds(30), [&] { fired.push_back(30); });
            rig.loop.runAfter(std::chrono::milliseconds(10), [&] { fired.push_back(10); });
            rig.loop.runAfter(std::chrono::milliseconds(20), [&] { fired.push_back(20); });
            // Same time: in arming order.
            rig.loop.runAt(now + 40, [&] { fired.push_back(41); });
            rig.loop.runAt(now + 40, [&] { fired.push_back(42); });
            rig.loop.runAt(now + 40, [&] {
                fired.push_back(43);
                done = true;
            });
            // In the past: at the next iteration.
            rig.loop.runAt(now - 1000, [&] { fired.push_back(0); });
            return now;
        });
        CPPUNIT_ASSERT(eventually([&] { return done.load(); }));
        const std::vector<int> expected{0, 10, 20, 30, 41, 42, 43};
        CPPUNIT_ASSERT(rig.call([&] { return fired; }) == expected);
        CPPUNIT_ASSERT(rig.call([&] { return rig.loop.now(); }) >= armedAt + 40);
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig.call([&] { return rig.loop.pendingTimers(); }));
    }

    void cancelWorksAlsoFromInsideATimer() {
        LoopRig rig;
        std::vector<std::string> fired;
        std::atomic<bool> done{false};
        // Out here, not in the lambda below: the timers read them after it
        // has returned (ASan: stack-use-after-return).
        EventLoop::TimerId victim = 0;
        EventLoop::TimerId self = 0;
        rig.call([&] {
            const int64_t now = rig.loop.now();
            auto cancelled = rig.loop.runAt(now + 10, [&] { fired.push_back("cancelled"); });
            rig.loop.cancel(cancelled);
            rig.loop.cancel(cancelled);  // twice: nothing
            // Due at the same time, armed after the canceller: cancelled from inside it.
            rig.loop.runAt(now + 20, [&] {
                fired.push_back("canceller");
                rig.loop.cancel(victim);
                // A timer armed from a timer, already due, runs too.
                rig.loop.runAt(rig.loop.now(), [&] { fired.push_back("armed inside"); });
            });
            victim = rig.loop.runAt(now + 20, [&] { fired.push_back("victim"); });
            auto later = rig.loop.runAt(now + 60, [&] { fired.push_back("later victim"); });
            rig.loop.runAt(now + 30, [&, later] {
                fired.push_back("canceller 2");
                rig.loop.cancel(later);
            });
            // A timer that cancels itself after firing: nothing.
            self = rig.loop.runAt(now + 40, [&] {
                fired.push_back("self");
                rig.loop.cancel(self);
            });
            rig.loop.runAt(now + 80, [&] { done = true; });
            return 0;
        });
        CPPUNIT_ASSERT(eventually([&] { return done.load(); }));
        std::vector<std::string> got = rig.call([&] { return fired; });
        // "armed inside" is due at the loop time its parent ran, which a slow
        // machine may put after canceller 2; the rest is fixed.
        std::vector<std::string> withoutInner;
        for (const auto& f : got)
            if (f != "armed inside") withoutInner.push_back(f);
        const std::vector<std::string> expected{"canceller", "canceller 2", "self"};
        CPPUNIT_ASSERT(withoutInner == expected);
        CPPUNIT_ASSERT_EQUAL(size_t(4), got.size());
        CPPUNIT_ASSERT_EQUAL(std::string("canceller"), got[0]);
    }

    void manyCancelledTimersDoNotPileUp() {
        LoopRig rig;
        std::atomic<int> fired{0};
        rig.call([&] {
            for (int i = 0; i < 5000; ++i) {
                auto id = rig.loop.runAfter(std::chrono::milliseconds(60000), [&] { ++fired; });
                rig.loop.cancel(id);
            }
            rig.loop.runAfter(std::chrono::milliseconds(1), [&] { ++fired; });
            return 0;
        });
        CPPUNIT_ASSERT(eventually([&] { return fired.load() == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig.call([&] { return rig.loop.pendingTimers(); }));
    }

    void postsKeepPerThreadOrder() {
        LoopRig rig;
        constexpr int kThreads = 6;
        constexpr int kPosts = 3000;
        std::vector<std::vector<int>> seen(kThreads);  // loop thread only
        std::atomic<int> count{0};
        std::atomic<bool> wrongThread{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPosts; ++i) {
                    rig.loop.post([&, t, i] {
                        if (!rig.loop.inLoopThread() || EventLoop::current() != &rig.loop) wrongThread = true;
                        seen[t].push_back(i);
                        ++count;
                    });
                }
            });
        }
        for (auto& thread : threads) thread.join();
        CPPUNIT_ASSERT(eventually([&] { return count.load() == kThreads * kPosts; }));
        CPPUNIT_ASSERT(!wrongThread.load());
        rig.call([&] {
            for (int t = 0; t < kThreads; ++t) {
                CPPUNIT_ASSERT_EQUAL(size_t(kPosts), seen[t].size());
                for (int i = 0; i < kPosts; ++i) CPPUNIT_ASSERT_EQUAL(i, seen[t][i]);
            }
            return 0;
        });
        CPPUNIT_ASSERT(!rig.loop.inLoopThread());
        CPPUNIT_ASSERT(EventLoop::current() == nullptr);
    }

    void postWakesALoopBlockedInEpollWait() {
        // No timers and nothing to watch: the loop waits in epoll_wait with no timeout.
        LoopRig rig;
        rig.call([] { return 0; });
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig.call([&] { return rig.loop.pendingTimers(); }));
        for (int round = 0; round < 20; ++round) {
            // Let the loop go back to sleep, then post from a fresh thread.
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            std::promise<void> ran;
            auto future = ran.get_future();
            std::thread([&] { rig.loop.post([&] { ran.set_value(); }); }).join();
            CPPUNIT_ASSERT(future.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
        }
    }

    void stopFromAnotherThread() {
        EventLoop loop;
        std::atomic<bool> running{false};
        std::atomic<bool> returned{false};
        std::thread thread([&] {
            loop.post([&] { running = true; });
            loop.run();
            returned = true;
        });
        CPPUNIT_ASSERT(eventually([&] { return running.load(); }));
        // Idle in epoll_wait; a timer far away must not keep it.
        loop.post([&] { loop.runAfter(std::chrono::hours(1), [] {}); });
        std::thread([&] { loop.stop(); }).join();
        CPPUNIT_ASSERT(eventually([&] { return returned.load(); }, 3000));
        thread.join();
    }

    void poolRefusesWhenItsQueueIsFull() {
        BlockingPool pool(1, 2);
        CPPUNIT_ASSERT_EQUAL(size_t(1), pool.threads());
        Gate gate;
        std::atomic<bool> started{false};
        std::atomic<int> ran{0};
        CPPUNIT_ASSERT(pool.submit([&] {
            started = true;
            gate.wait();
            ++ran;
        }));
        CPPUNIT_ASSERT(eventually([&] { return started.load(); }));
        CPPUNIT_ASSERT(pool.submit([&] { ++ran; }));
        CPPUNIT_ASSERT(pool.submit([&] { ++ran; }));
        CPPUNIT_ASSERT(!pool.submit([&] { ran += 100; }));  // full: refused, dropped
        gate.open();
        CPPUNIT_ASSERT(eventually([&] { return ran.load() == 3; }));
        // Room again.
        CPPUNIT_ASSERT(pool.submit([&] { ++ran; }));
        CPPUNIT_ASSERT(eventually([&] { return ran.load() == 4; }));
        // A task that throws does not end its thread.
        CPPUNIT_ASSERT(pool.submit([] { throw std::runtime_error("boom"); }));
        CPPUNIT_ASSERT(pool.submit([&] { ++ran; }));
        CPPUNIT_ASSERT(eventually([&] { return ran.load() == 5; }));
    }

    void poolStopRunsWhatIsQueued() {
        BlockingPool pool(2, 100);
        Gate gate;
        std::atomic<int> ran{0};
        for (int i = 0; i < 2; ++i) CPPUNIT_ASSERT(pool.submit([&] {
            gate.wait();
            ++ran;
        }));
        for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT(pool.submit([&] { ++ran; }));
        std::thread opener([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            gate.open();
        });
        pool.stop();  // waits for the gate, then runs the queue dry
        CPPUNIT_ASSERT_EQUAL(22, ran.load());
        opener.join();
        CPPUNIT_ASSERT(!pool.submit([&] { ++ran; }));  // stopped: refused
        pool.stop();  // twice: nothing
        CPPUNIT_ASSERT_EQUAL(22, ran.load());
    }

    void poolKnowsItsThreads() {
        BlockingPool pool(2, 10);
        BlockingPool other(1, 10);
        CPPUNIT_ASSERT(!pool.onPoolThread());
        std::promise<std::pair<bool, bool>> answer;
        auto future = answer.get_future();
        CPPUNIT_ASSERT(pool.submit([&] { answer.set_value({pool.onPoolThread(), other.onPoolThread()}); }));
        CPPUNIT_ASSERT(future.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
        const auto seen = future.get();
        CPPUNIT_ASSERT(seen.first);
        CPPUNIT_ASSERT(!seen.second);
        CPPUNIT_ASSERT(defaultBlockingThreads() >= 4 && defaultBlockingThreads() <= 16);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventLoopTest);
