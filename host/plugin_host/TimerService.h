#pragma once
// One-shot and periodic timers run on one host thread: what plugins get
// through timer_start/timer_cancel. Callbacks run one at a time, so a slow
// callback delays the others; plugins that block (network, disk) should hand
// the work to a thread of their own.
//
// The cancel guarantee: when cancel()/cancelAll() return, the callback is not
// running and will not run again. Called from inside a callback (on the timer
// thread) they do not wait, since that would wait for themselves.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace rportd::plugin_host {

class TimerService {
public:
    using Callback = std::function<void()>;
    using Milliseconds = std::chrono::milliseconds;

    // The longest delay or period start() honours; longer ones are cut to it.
    // A century: nothing in a host's life waits longer, while steady_clock
    // counts nanoseconds in 64 bits and would overflow within three.
    static constexpr Milliseconds kLongestDelay = std::chrono::hours(24 * 365 * 100);
    // A plugin's unsigned millisecond count (timer_start64 takes up to 2^64-1)
    // as a delay for start(), cut to kLongestDelay instead of wrapping negative.
    static Milliseconds delayFromUnsigned(uint64_t ms) noexcept;

    TimerService();
    // Stops the thread; timers still pending never fire.
    ~TimerService();
    TimerService(const TimerService&) = delete;
    TimerService& operator=(const TimerService&) = delete;

    // Runs fire after delay, then every period (zero: once); both are cut to
    // 0..kLongestDelay. owner groups the timers of one backend instance for
    // cancel()/cancelAll(). Returns the timer's id, never 0.
    uint64_t start(const void* owner, Milliseconds delay, Milliseconds period, Callback fire);
    // False when owner has no timer with that id (already fired once, or
    // cancelled, or someone else's).
    bool cancel(const void* owner, uint64_t id);
    // Cancels every timer of owner, with the same guarantee as cancel().
    void cancelAll(const void* owner);

    size_t pending() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Timer {
        const void* owner;
        Clock::time_point due;
        Milliseconds period;
        std::shared_ptr<Callback> fire;  // shared: a running callback survives its cancel
    };

    void run();
    bool onTimerThread() const noexcept { return std::this_thread::get_id() == _thread.get_id(); }
    // Waits until the running callback no longer matches; the lock is held.
    template <class Predicate>
    void waitWhileRunning(std::unique_lock<std::mutex>& lock, Predicate runningMatches);

    mutable std::mutex _mutex;
    std::condition_variable _wake;      // the timer thread: new timer or stop
    std::condition_variable _finished;  // cancellers: a callback returned
    std::map<uint64_t, Timer> _timers;
    std::set<std::pair<Clock::time_point, uint64_t>> _queue;  // due order
    uint64_t _nextId = 1;
    uint64_t _runningId = 0;
    const void* _runningOwner = nullptr;
    bool _stopping = false;
    std::thread _thread;  // last: starts after everything above exists
};

}  // namespace rportd::plugin_host
