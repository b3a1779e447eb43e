#include "WatchedPair.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace rport::plugins::certfiles {
namespace {

using Clock = std::chrono::steady_clock;

// Entries created, written, renamed, deleted or re-pointed (a symlink swap is
// a delete plus a create, or a rename over the old link), and the directory
// itself going away.
constexpr uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

std::string errnoText(int error) {
    char buffer[256];
    const char* text = ::strerror_r(error, buffer, sizeof buffer);
    return text ? text : "error " + std::to_string(error);
}

int millisecondsUntil(Clock::time_point when, Clock::time_point now) {
    if (when <= now) return 0;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count();
    return static_cast<int>(ms + 1);
}

std::string describe(const CertPair& p) { return "serial " + p.serial + ", expires " + p.notAfterText; }

}  // namespace

WatchedPair::WatchedPair(rport::sdk::Host host, Options options) : _host(host), _options(std::move(options)) {
    // Stamped before reading: a change made while we read is seen as a change.
    _goodStamps = stampsNow();
    LoadResult loaded = loadCertPair(_options.certPath, _options.keyPath);
    if (!loaded.ok) throw rport::sdk::Error(RPORT_E_INVALID, loaded.problem);
    _initial = loaded.pair;
    _served = std::move(loaded.pair);
    _host.info("certificate loaded from " + _options.certPath + " (" + describe(_served) + ")");

    _wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (_wakeFd < 0)
        throw rport::sdk::Error(RPORT_E_INTERNAL, "cannot create an eventfd: " + errnoText(errno));
    if (_options.useInotify) {
        _inotifyFd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (_inotifyFd < 0)
            _host.warning("inotify is unavailable (" + errnoText(errno) +
                          "); certificate changes are noticed by the periodic check only");
        else
            refreshWatches(_goodStamps);
    }
    _thread = std::thread([this] { run(); });
    if (_options.checkIntervalMs > 0) {
        try {
            _timer = _host.startTimer(_options.checkIntervalMs, _options.checkIntervalMs, &WatchedPair::onTimer, this);
            _timerStarted = true;
        } catch (...) {
            post(kStop);
            _thread.join();
            if (_inotifyFd >= 0) ::close(_inotifyFd);
            ::close(_wakeFd);
            throw;
        }
    }
}

WatchedPair::~WatchedPair() {
    if (_timerStarted) _host.cancelTimer(_timer);
    post(kStop);
    if (_thread.joinable()) _thread.join();
    if (_inotifyFd >= 0) ::close(_inotifyFd);
    if (_wakeFd >= 0) ::close(_wakeFd);
}

rport::sdk::CertBundle WatchedPair::current() const {
    std::lock_guard<std::mutex> lock(_servedMutex);
    rport::sdk::CertBundle b;
    b.chainPem = _served.chainPem;
    b.keyPem = _served.keyPem;
    b.notBefore = _served.notBefore;
    b.notAfter = _served.notAfter;
    return b;
}

void WatchedPair::renewNow() { post(kForce); }

void WatchedPair::onTimer(void* self) { static_cast<WatchedPair*>(self)->post(kCheck); }

void WatchedPair::post(uint64_t request) {
    {
        std::lock_guard<std::mutex> lock(_requestMutex);
        _requests |= request;
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(_wakeFd, &one, sizeof one);
}

WatchedPair::Stamps WatchedPair::stampsNow() const {
    return Stamps{stampOf(_options.certPath), stampOf(_options.keyPath)};
}

void WatchedPair::refreshWatches(const Stamps& stamps) {
    if (_inotifyFd < 0) return;
    std::set<std::string> wanted{directoryOf(_options.certPath), directoryOf(_options.keyPath)};
    if (!stamps.cert.resolved.empty()) wanted.insert(directoryOf(stamps.cert.resolved));
    if (!stamps.key.resolved.empty()) wanted.insert(directoryOf(stamps.key.resolved));
    for (const std::string& dir : wanted) {
        const bool watched = std::any_of(_watches.begin(), _watches.end(),
                                         [&](const auto& w) { return w.second == dir; });
        if (watched) continue;
        const int wd = ::inotify_add_watch(_inotifyFd, dir.c_str(), kWatchMask);
        if (wd >= 0) {
            _watches[wd] = dir;
        } else if (!_warnedWatch) {
            _warnedWatch = true;
            _host.warning("cannot watch directory " + dir + " (" + errnoText(errno) +
                          "); certificate changes there are noticed by the periodic check only");
        }
    }
}

bool WatchedPair::drainInotify() {
    alignas(inotify_event) char buffer[8192];
    bool any = false;
    for (;;) {
        const ssize_t n = ::read(_inotifyFd, buffer, sizeof buffer);
        if (n <= 0) return any;
        for (ssize_t offset = 0; offset < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            any = true;
            // The directory went away (or was renamed): watch it again once it exists.
            if (event->mask & IN_IGNORED) _watches.erase(event->wd);
        }
    }
}

void WatchedPair::run() {
    bool eventsPending = false;
    Clock::time_point quietUntil, burstEnd;
    for (;;) {
        Clock::time_point now = Clock::now();
        int timeout = -1;
        auto consider = [&](Clock::time_point when) {
            const int ms = millisecondsUntil(when, now);
            timeout = timeout < 0 ? ms : std::min(timeout, ms);
        };
        if (eventsPending) consider(std::min(quietUntil, burstEnd));
        if (_retrying) consider(_nextRetry);

        pollfd fds[2] = {{_wakeFd, POLLIN, 0}, {_inotifyFd, POLLIN, 0}};
        const nfds_t count = _inotifyFd >= 0 ? 2 : 1;
        const int ready = ::poll(fds, count, timeout);
        if (ready < 0 && errno != EINTR) {
            _host.error("the certificate watcher stopped: poll failed: " + errnoText(errno));
            return;
        }

        uint64_t requests = 0;
        if (ready > 0 && (fds[0].revents & POLLIN)) {
            uint64_t counter = 0;
            [[maybe_unused]] const ssize_t got = ::read(_wakeFd, &counter, sizeof counter);
            std::lock_guard<std::mutex> lock(_requestMutex);
            requests = std::exchange(_requests, 0);
        }
        if (requests & kStop) return;
        if (ready > 0 && count == 2 && (fds[1].revents & POLLIN) && drainInotify()) {
            now = Clock::now();
            if (!eventsPending) burstEnd = now + _options.longestBurst;
            eventsPending = true;
            quietUntil = now + _options.quietTime;
        }

        now = Clock::now();
        const bool forced = (requests & kForce) != 0;
        const bool checkAsked = (requests & kCheck) != 0;
        const bool eventsDue = eventsPending && (now >= quietUntil || now >= burstEnd);
        const bool retryDue = _retrying && now >= _nextRetry;
        if (eventsDue) eventsPending = false;
        if (forced || checkAsked || eventsDue || retryDue) {
            try {
                attempt(forced);
            } catch (const std::exception& e) {
                _host.error(std::string("checking the certificate files failed: ") + e.what());
            }
        }
    }
}

void WatchedPair::attempt(bool forced) {
    const Stamps stamps = stampsNow();
    refreshWatches(stamps);
    if (!forced && !_retrying) {
        if (stamps == _goodStamps) return;
        if (_gaveUp && stamps == _failedStamps) return;  // refused already; wait for the next change
    }

    LoadResult loaded = loadCertPair(_options.certPath, _options.keyPath);
    if (loaded.ok) {
        _retrying = false;
        _gaveUp = false;
        _goodStamps = stamps;
        const std::string description = describe(loaded.pair);
        bool changed = false;
        {
            std::lock_guard<std::mutex> lock(_servedMutex);
            if (!_served.sameAs(loaded.pair)) {
                _served = std::move(loaded.pair);
                changed = true;
            }
        }
        if (changed) {
            _host.info("certificate reloaded from " + _options.certPath + " (" + description + ")");
            _host.certChanged();  // not holding a lock: the host calls current() from here
        } else if (forced) {
            _host.debug("certificate files re-read: unchanged (" + description + ")");
        }
        return;
    }

    const Clock::time_point now = Clock::now();
    if (!_retrying) {
        _retrying = true;
        _retryUntil = now + _options.retryFor;
    }
    if (now < _retryUntil) {
        _nextRetry = now + _options.retryDelay;
        return;
    }
    _retrying = false;
    _gaveUp = true;
    _failedStamps = stamps;
    std::string served;
    {
        std::lock_guard<std::mutex> lock(_servedMutex);
        served = describe(_served);
    }
    _host.error("certificate not reloaded: " + loaded.problem + "; still serving the previous certificate (" +
                served + "); trying again when the files change");
}

}  // namespace rport::plugins::certfiles
