#pragma once
// A thread that notices when a file may have changed: inotify on the file's
// directory for prompt notice, plus a periodic tick as a safety net for file
// systems and setups where inotify says nothing (NFS, symlink swaps elsewhere,
// an exhausted inotify limit).
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace rport::plugins::file_auth {

enum class DiskActivity {
    FileTouched,       // an event named the file itself: read it and compare
    DirectoryTouched,  // something else in the directory changed: compare the file's stamp
    PeriodicCheck,     // the safety-net tick: compare the file's stamp
};

class DirectoryWatcher {
public:
    struct Options {
        std::string directory;
        std::string fileName;
        bool useInotify = true;
        // 0 disables the periodic check.
        std::chrono::milliseconds checkInterval{2000};
        // Events arriving in a burst (an editor's save, a provisioning tool's
        // rename) are gathered until the directory has been quiet this long,
        // so the file is read once, after the writer is done.
        std::chrono::milliseconds quietTime{25};
        std::chrono::milliseconds longestBurst{250};
    };
    using Listener = std::function<void(DiskActivity)>;
    using Reporter = std::function<void(const std::string& warning)>;

    // Starts the thread. The listener runs on it, one call at a time; the
    // reporter hears about degraded watching (no inotify, watch lost).
    DirectoryWatcher(Options options, Listener listener, Reporter reporter);
    // Wakes the thread and joins it; no listener call runs afterwards.
    ~DirectoryWatcher();
    DirectoryWatcher(const DirectoryWatcher&) = delete;
    DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

    bool usingInotify() const noexcept { return _inotifyFd >= 0; }

private:
    struct Burst {
        bool any = false;
        bool fileNamed = false;
        bool watchLost = false;
    };

    void run();
    bool addWatch();
    void readEvents(Burst& burst);
    // Waits on inotify and the wake-up descriptor; false when asked to stop.
    bool waitForInput(int timeoutMs, bool& inotifyReadable);
    void deliver(DiskActivity activity);

    Options _options;
    Listener _listener;
    Reporter _reporter;
    int _inotifyFd = -1;
    int _watch = -1;
    int _wakeFd = -1;
    std::thread _thread;
};

}  // namespace rport::plugins::file_auth
