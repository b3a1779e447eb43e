#include "http/Poller.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace rportd::http {

Poller::Poller() {
    _epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (_epoll < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    _wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (_wakeFd < 0 || !add(_wakeFd, EPOLLIN, &_wake)) {
        int error = errno;
        if (_wakeFd >= 0) ::close(_wakeFd);
        ::close(_epoll);
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(error));
    }
}

Poller::~Poller() {
    ::close(_wakeFd);
    ::close(_epoll);
}

bool Poller::add(int fd, uint32_t events, PollTarget* target) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = target;
    return ::epoll_ctl(_epoll, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Poller::rearm(int fd, uint32_t events, PollTarget* target) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = target;
    return ::epoll_ctl(_epoll, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Poller::remove(int fd) { ::epoll_ctl(_epoll, EPOLL_CTL_DEL, fd, nullptr); }

PollTarget* Poller::wait() {
    for (;;) {
        epoll_event ev{};
        int n = ::epoll_wait(_epoll, &ev, 1, -1);
        // The events themselves do not matter: the owner simply tries its I/O.
        if (n == 1) return static_cast<PollTarget*>(ev.data.ptr);
        if (n < 0 && errno != EINTR) {
            // Only EBADF/EINVAL/EFAULT are possible: a programming error. Leave
            // the worker loop rather than spin.
            return &_wake;
        }
    }
}

void Poller::wakeAll() {
    uint64_t one = 1;
    // Cannot block (the counter would have to reach 2^64-1); a failure leaves
    // the eventfd readable anyway if an earlier write succeeded.
    [[maybe_unused]] ssize_t written = ::write(_wakeFd, &one, sizeof one);
}

}  // namespace rportd::http
