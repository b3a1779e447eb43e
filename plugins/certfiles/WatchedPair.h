#pragma once
// A certificate pair kept in memory and kept up to date with its files.
//
// One thread of its own does all reading after start-up. It wakes on
// inotify events in the directories involved (the files' own directories and,
// when they are symlinks, the directories they point into), on the host's
// periodic timer and on renewNow(). A new pair replaces the served one only
// after it loaded and checked completely; a broken one is retried shortly
// (a writer may be half-way), then reported with one error line and ignored
// until the files change again.
#include <rport/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "FileStamp.h"
#include "PemPair.h"

namespace rport::plugins::certfiles {

class WatchedPair {
public:
    struct Options {
        std::string certPath;
        std::string keyPath;
        bool useInotify = true;
        uint32_t checkIntervalMs = 2000;  // host timer; 0 = none
        std::chrono::milliseconds retryDelay{200};
        std::chrono::milliseconds retryFor{5000};
        std::chrono::milliseconds quietTime{50};  // gather a burst of events
        std::chrono::milliseconds longestBurst{300};
    };

    // Loads the pair; throws rport::sdk::Error(RPORT_E_INVALID, problem) when
    // it cannot be served. Then starts watching.
    WatchedPair(rport::sdk::Host host, Options options);
    // Cancels the timer, stops and joins the thread.
    ~WatchedPair();
    WatchedPair(const WatchedPair&) = delete;
    WatchedPair& operator=(const WatchedPair&) = delete;

    rport::sdk::CertBundle current() const;
    // The pair loaded at start-up (for advice about the certificate).
    const CertPair& initial() const noexcept { return _initial; }
    // Asks the thread to read both files again now, changed or not.
    void renewNow();

private:
    struct Stamps {
        FileStamp cert;
        FileStamp key;
        bool operator==(const Stamps& o) const { return cert == o.cert && key == o.key; }
        bool operator!=(const Stamps& o) const { return !(*this == o); }
    };
    enum Request : uint64_t { kStop = 1, kCheck = 2, kForce = 4 };

    static void onTimer(void* self);
    void post(uint64_t request);
    void run();
    void attempt(bool forced);
    Stamps stampsNow() const;
    void refreshWatches(const Stamps& stamps);
    bool drainInotify();

    rport::sdk::Host _host;
    Options _options;
    CertPair _initial;

    mutable std::mutex _servedMutex;
    CertPair _served;

    std::mutex _requestMutex;
    uint64_t _requests = 0;

    // Owned by the thread after start.
    Stamps _goodStamps;
    Stamps _failedStamps;
    bool _gaveUp = false;
    bool _retrying = false;
    std::chrono::steady_clock::time_point _retryUntil;
    std::chrono::steady_clock::time_point _nextRetry;
    std::map<int, std::string> _watches;  // watch descriptor -> directory
    bool _warnedWatch = false;

    int _wakeFd = -1;
    int _inotifyFd = -1;
    uint64_t _timer = 0;
    bool _timerStarted = false;
    std::thread _thread;
};

}  // namespace rport::plugins::certfiles
