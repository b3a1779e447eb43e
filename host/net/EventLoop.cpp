#include "net/EventLoop.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "net/MonotonicClock.h"

namespace rportd::net {

namespace {

thread_local EventLoop* currentLoop = nullptr;

// The eventfd's own handler: reading it re-arms the wake-up.
constexpr uint64_t kWakeTag = 0;

// Events handled per epoll_wait; more stay queued in the kernel for the next call.
constexpr int kMaxEvents = 128;

}  // namespace

EventLoop::EventLoop() {
    _epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (_epoll < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    _wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (_wakeFd < 0) {
        ::close(_epoll);
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeTag;
    if (::epoll_ctl(_epoll, EPOLL_CTL_ADD, _wakeFd, &event) != 0) {
        ::close(_wakeFd);
        ::close(_epoll);
        throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
    }
    refreshNow();
}

EventLoop::~EventLoop() {
    ::close(_wakeFd);
    ::close(_epoll);
}

EventLoop* EventLoop::current() { return currentLoop; }

void EventLoop::refreshNow() { _now = monotonicMillis(); }

void EventLoop::run() {
    _threadId.store(std::this_thread::get_id(), std::memory_order_relaxed);
    currentLoop = this;
    epoll_event events[kMaxEvents];
    while (!_stopping.load(std::memory_order_acquire)) {
        int count = ::epoll_wait(_epoll, events, kMaxEvents, nextTimeoutMillis());
        refreshNow();
        if (count < 0 && errno != EINTR) break;  // only EBADF/EFAULT/EINVAL: a bug, not a peer
        for (int i = 0; i < count; ++i) {
            if (events[i].data.u64 == kWakeTag) {
                uint64_t drained;
                while (::read(_wakeFd, &drained, sizeof drained) > 0) {
                }
                continue;
            }
            static_cast<IoHandler*>(events[i].data.ptr)->onIoEvent(events[i].events);
        }
        runPosted();
        runDueTimers();
    }
    currentLoop = nullptr;
}

void EventLoop::stop() {
    _stopping.store(true, std::memory_order_release);
    uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(_wakeFd, &one, sizeof one);
}

void EventLoop::post(Task task) {
    bool wake;
    {
        std::lock_guard<std::mutex> lock(_postMutex);
        _posted.push_back(std::move(task));
        wake = !_wakePending;
        _wakePending = true;
    }
    // One eventfd write per batch of posts: a busy sender does not pay a
    // syscall for every message once the loop is already due to wake.
    if (wake) {
        uint64_t one = 1;
        [[maybe_unused]] ssize_t written = ::write(_wakeFd, &one, sizeof one);
    }
}

void EventLoop::runPosted() {
    std::vector<Task> batch;
    {
        std::lock_guard<std::mutex> lock(_postMutex);
        if (_posted.empty()) {
            _wakePending = false;
            return;
        }
        batch.swap(_posted);
        _wakePending = false;
    }
    for (auto& task : batch) task();
}

bool EventLoop::watch(int fd, uint32_t events, IoHandler* handler) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = handler;
    return ::epoll_ctl(_epoll, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool EventLoop::modify(int fd, uint32_t events, IoHandler* handler) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = handler;
    return ::epoll_ctl(_epoll, EPOLL_CTL_MOD, fd, &event) == 0;
}

void EventLoop::unwatch(int fd) { ::epoll_ctl(_epoll, EPOLL_CTL_DEL, fd, nullptr); }

EventLoop::TimerId EventLoop::runAfter(std::chrono::milliseconds delay, Task task) {
    return runAt(_now + delay.count(), std::move(task));
}

EventLoop::TimerId EventLoop::runAt(int64_t whenMillis, Task task) {
    TimerId id = _nextTimerId++;
    _timerTasks.emplace(id, std::move(task));
    _timers.push(TimerEntry{whenMillis, id});
    return id;
}

// Cancelled entries stay in the heap and are skipped when they come up: a
// cancel is then one hash erase, and connections re-arm deadlines often.
void EventLoop::cancel(TimerId id) { _timerTasks.erase(id); }

int EventLoop::nextTimeoutMillis() const {
    if (_timers.empty()) return -1;
    int64_t wait = _timers.top().when - monotonicMillis();
    if (wait <= 0) return 0;
    return wait > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                  : static_cast<int>(wait);
}

void EventLoop::runDueTimers() {
    while (!_timers.empty() && _timers.top().when <= _now) {
        TimerId id = _timers.top().id;
        _timers.pop();
        auto it = _timerTasks.find(id);
        if (it == _timerTasks.end()) continue;  // cancelled
        Task task = std::move(it->second);
        _timerTasks.erase(it);
        task();
    }
    // Keep the heap from filling with cancelled entries when timers are
    // re-armed far more often than they fire.
    if (_timers.size() > 1024 && _timers.size() > 4 * _timerTasks.size()) {
        decltype(_timers) live;
        while (!_timers.empty()) {
            if (_timerTasks.count(_timers.top().id)) live.push(_timers.top());
            _timers.pop();
        }
        _timers.swap(live);
    }
}

}  // namespace rportd::net
