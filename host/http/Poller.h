#pragma once
// The one epoll instance all workers wait on, plus an eventfd that wakes them
// all when the server shuts down (no polling loop, so stop() is immediate).
#include <cstdint>

namespace rportd::http {

// What an epoll event points at; the worker dispatches on the kind.
struct PollTarget {
    enum class Kind { Wake, Listener, Connection };
    explicit PollTarget(Kind k) : kind(k) {}
    const Kind kind;
};

class Poller {
public:
    Poller();  // throws std::runtime_error
    ~Poller();
    Poller(const Poller&) = delete;
    Poller& operator=(const Poller&) = delete;

    // EPOLL_CTL_ADD / EPOLL_CTL_MOD; false with errno set on failure.
    bool add(int fd, uint32_t events, PollTarget* target);
    bool rearm(int fd, uint32_t events, PollTarget* target);
    void remove(int fd);

    // Blocks for one event (maxevents = 1: whichever worker wakes owns exactly
    // that event, the others stay free for the next).
    PollTarget* wait();

    // Makes every current and future wait() return the wake target: the
    // eventfd is level-triggered and never drained.
    void wakeAll();

private:
    int _epoll = -1;
    int _wakeFd = -1;
    PollTarget _wake{PollTarget::Kind::Wake};
};

}  // namespace rportd::http
