#include "DirectoryWatcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <utility>

#include "DiskFile.h"

namespace rport::plugins::file_auth {
namespace {

// Creation, completed writes, renames in and out, deletion and attribute
// changes of entries, plus the directory itself going away.
constexpr uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

int millisecondsUntil(std::chrono::steady_clock::time_point when) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        when - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

DirectoryWatcher::DirectoryWatcher(Options options, Listener listener, Reporter reporter)
    : _options(std::move(options)), _listener(std::move(listener)), _reporter(std::move(reporter)) {
    _wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (_wakeFd < 0)
        throw std::runtime_error("cannot create the watcher's wake-up descriptor: " +
                                 systemMessage(errno));
    if (_options.useInotify) {
        _inotifyFd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (_inotifyFd < 0) {
            _reporter("inotify is unavailable (" + systemMessage(errno) +
                      "); changes are noticed by the periodic check only");
        } else if (!addWatch()) {
            _reporter("cannot watch directory \"" + _options.directory + "\" (" +
                      systemMessage(errno) +
                      "); changes are noticed by the periodic check only until it can be watched");
        }
    }
    _thread = std::thread([this] { run(); });
}

DirectoryWatcher::~DirectoryWatcher() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(_wakeFd, &one, sizeof one);
    if (_thread.joinable()) _thread.join();
    if (_inotifyFd >= 0) ::close(_inotifyFd);
    ::close(_wakeFd);
}

bool DirectoryWatcher::addWatch() {
    _watch = ::inotify_add_watch(_inotifyFd, _options.directory.c_str(), kWatchMask);
    return _watch >= 0;
}

bool DirectoryWatcher::waitForInput(int timeoutMs, bool& inotifyReadable) {
    pollfd fds[2] = {{_wakeFd, POLLIN, 0}, {_inotifyFd, POLLIN, 0}};
    const nfds_t count = _inotifyFd >= 0 ? 2 : 1;
    inotifyReadable = false;
    const int ready = ::poll(fds, count, timeoutMs);
    if (ready < 0) return true;  // EINTR: the caller recomputes its timeout and waits again
    if (fds[0].revents) return false;
    inotifyReadable = count == 2 && (fds[1].revents & POLLIN);
    return true;
}

void DirectoryWatcher::readEvents(Burst& burst) {
    alignas(inotify_event) char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(_inotifyFd, buffer, sizeof buffer);
        if (n <= 0) return;  // EAGAIN: drained
        for (ssize_t offset = 0; offset < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            burst.any = true;
            if (event->mask & IN_Q_OVERFLOW)
                burst.fileNamed = true;  // events were dropped: assume the worst
            if (event->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) burst.watchLost = true;
            if (event->len > 0 && _options.fileName == event->name) burst.fileNamed = true;
        }
    }
}

void DirectoryWatcher::deliver(DiskActivity activity) {
    try {
        _listener(activity);
    } catch (const std::exception& e) {
        _reporter(std::string("checking for changes failed: ") + e.what());
    } catch (...) {
        _reporter("checking for changes failed");
    }
}

void DirectoryWatcher::run() {
    using Clock = std::chrono::steady_clock;
    const bool periodic = _options.checkInterval.count() > 0;
    auto nextCheck = Clock::now() + _options.checkInterval;
    for (;;) {
        bool inotifyReadable = false;
        if (!waitForInput(periodic ? millisecondsUntil(nextCheck) : -1, inotifyReadable)) return;

        if (inotifyReadable) {
            Burst burst;
            readEvents(burst);
            const auto burstEnd = Clock::now() + _options.longestBurst;
            while (Clock::now() < burstEnd) {
                const int wait = std::min(static_cast<int>(_options.quietTime.count()),
                                          millisecondsUntil(burstEnd));
                if (!waitForInput(wait, inotifyReadable)) return;
                if (!inotifyReadable) break;  // quiet long enough
                readEvents(burst);
            }
            if (burst.watchLost && _watch >= 0) {
                ::inotify_rm_watch(_inotifyFd, _watch);
                _watch = -1;
                _reporter("lost the watch on directory \"" + _options.directory +
                          "\"; relying on the periodic check until it can be watched again");
            }
            if (burst.any)
                deliver(burst.fileNamed ? DiskActivity::FileTouched
                                        : DiskActivity::DirectoryTouched);
        }

        if (periodic && Clock::now() >= nextCheck) {
            nextCheck = Clock::now() + _options.checkInterval;
            // A directory that was removed and recreated can be watched again.
            if (_inotifyFd >= 0 && _watch < 0 && addWatch()) {
                deliver(DiskActivity::FileTouched);
                continue;
            }
            deliver(DiskActivity::PeriodicCheck);
        }
    }
}

}  // namespace rport::plugins::file_auth
