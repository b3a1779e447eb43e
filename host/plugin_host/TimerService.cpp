#include "plugin_host/TimerService.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <exception>

namespace rportd::plugin_host {

TimerService::Milliseconds TimerService::delayFromUnsigned(uint64_t ms) noexcept {
    return ms >= static_cast<uint64_t>(kLongestDelay.count())
               ? kLongestDelay
               : Milliseconds(static_cast<Milliseconds::rep>(ms));
}

TimerService::TimerService() : _thread([this] { run(); }) {}

TimerService::~TimerService() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _wake.notify_all();
    _thread.join();
}

uint64_t TimerService::start(const void* owner, Milliseconds delay, Milliseconds period,
                             Callback fire) {
    delay = std::clamp(delay, Milliseconds::zero(), kLongestDelay);
    period = std::clamp(period, Milliseconds::zero(), kLongestDelay);
    auto shared = std::make_shared<Callback>(std::move(fire));
    std::lock_guard<std::mutex> lock(_mutex);
    const uint64_t id = _nextId++;
    const Clock::time_point due = Clock::now() + delay;
    _timers.emplace(id, Timer{owner, due, period, std::move(shared)});
    _queue.emplace(due, id);
    _wake.notify_all();
    return id;
}

template <class Predicate>
void TimerService::waitWhileRunning(std::unique_lock<std::mutex>& lock, Predicate runningMatches) {
    if (onTimerThread()) return;
    _finished.wait(lock, [&] { return _runningId == 0 || !runningMatches(); });
}

bool TimerService::cancel(const void* owner, uint64_t id) {
    std::unique_lock<std::mutex> lock(_mutex);
    auto it = _timers.find(id);
    if (it == _timers.end() || it->second.owner != owner) return false;
    _queue.erase({it->second.due, id});  // absent while it runs; erase is then a no-op
    _timers.erase(it);
    waitWhileRunning(lock, [&] { return _runningId == id; });
    return true;
}

void TimerService::cancelAll(const void* owner) {
    std::unique_lock<std::mutex> lock(_mutex);
    for (auto it = _timers.begin(); it != _timers.end();) {
        if (it->second.owner == owner) {
            _queue.erase({it->second.due, it->first});
            it = _timers.erase(it);
        } else {
            ++it;
        }
    }
    waitWhileRunning(lock, [&] { return _runningOwner == owner; });
}

size_t TimerService::pending() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _timers.size();
}

void TimerService::run() {
    std::unique_lock<std::mutex> lock(_mutex);
    while (!_stopping) {
        if (_queue.empty()) {
            _wake.wait(lock);
            continue;
        }
        const auto [due, id] = *_queue.begin();
        if (due > Clock::now()) {
            _wake.wait_until(lock, due);
            continue;
        }
        _queue.erase(_queue.begin());
        Timer& timer = _timers.at(id);
        std::shared_ptr<Callback> fire = timer.fire;
        _runningId = id;
        _runningOwner = timer.owner;

        lock.unlock();
        try {
            (*fire)();
        } catch (const std::exception& e) {
            Poco::Logger::get("plugins").error("timer callback failed: %s", std::string(e.what()));
        } catch (...) {
            Poco::Logger::get("plugins").error("timer callback failed with an unknown exception");
        }
        lock.lock();

        _runningId = 0;
        _runningOwner = nullptr;
        // The callback may have cancelled itself (or been cancelled), so look
        // the timer up again instead of trusting the reference from before.
        auto it = _timers.find(id);
        if (it != _timers.end()) {
            if (it->second.period.count() > 0) {
                const Clock::time_point now = Clock::now();
                Clock::time_point next = it->second.due + it->second.period;
                if (next <= now) next = now + it->second.period;  // fell behind: skip missed ticks
                it->second.due = next;
                _queue.emplace(next, id);
            } else {
                _timers.erase(it);
            }
        }
        _finished.notify_all();
    }
}

}  // namespace rportd::plugin_host
