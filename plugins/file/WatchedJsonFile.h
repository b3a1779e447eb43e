#pragma once
// What the client-auth file and the API users file have in common: a JSON
// file served from memory, reloaded when it changes on disk and rewritten
// atomically. A FileFormat says how to read it and how to name it.
//
// When changes to the file take effect
//   - Changes through the API (add, delete) are in force for every lookup as
//     soon as the API call returns.
//   - An edit on disk that replaces the file by rename (mv, most editors,
//     provisioning tools) or writes it in place and closes it is usually in
//     force within 100 ms: the directory is watched with inotify, and once it
//     has been quiet for 25 ms (at most 250 ms into a burst of events) the
//     file is read once.
//   - Changes inotify does not report (network file systems, a symlink whose
//     target lives in another directory, no inotify available) are picked up
//     by a check of the file's inode, size and times every 2 s
//     (check_interval_ms), so at most about 2 s later.
//   - A change applies completely or not at all. The new file is parsed and
//     validated in full and then swapped in at once. If it is missing,
//     unreadable or invalid, the entries loaded before stay in force and the
//     reason is logged as an error (once per version of the file); the next
//     valid version is picked up as usual.
//   - Before an API write the file is read again under the lock; an external
//     edit not yet picked up is loaded first, so the API change is applied on
//     top of it. If the file on disk is invalid at that moment, the API write
//     is refused and the file left as it is. If it has been deleted, the write
//     is refused too, unless the format recreates missing files.
//
// Reading: only a regular file (or a symlink to one) of at most
// max_file_bytes is read; anything else is refused at once, without waiting.
//
// Writing: the whole file is rewritten to a temporary file in the same
// directory, flushed, renamed over the original and the directory flushed, all
// under flock(2) on ".<name>.lock" beside the file. "The file" is the one the
// configured path resolves to, for the lock as for the write, so processes that
// reach it through different symlinks still exclude each other. Mode, owner and
// group are kept, and a write that may not keep them is refused; a recreated
// file gets mode 0600 and this process's owner. A crash at any moment leaves
// the old or the new complete file.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <rport/plugin.hpp>
#include <string>

#include "AdvisoryLock.h"
#include "DirectoryWatcher.h"
#include "DiskFile.h"
#include "FileFormat.h"
#include "FileStoreSettings.h"
#include "KnownContent.h"

namespace rport::plugins::file_auth {

// Safe for concurrent calls: current() hands out an immutable snapshot taken
// atomically and never waits for a reload or a write; reloads and writes take
// turns on one mutex.
class WatchedJsonFile {
public:
    // The complete new content of the file and the entries it holds.
    struct Replacement {
        std::string text;
        std::shared_ptr<const EntrySet> entries;
    };
    // Produces the replacement from the entries in force, or throws to refuse
    // the change (the exception reaches the caller of rewrite unchanged).
    using Edit = std::function<Replacement(const EntrySet& current)>;

    // Reads the settings and loads the file; any problem with either fails
    // with rport::sdk::Error(RPORT_E_INVALID) naming the path and, for bad
    // content, the entry or line and column. Then starts watching.
    WatchedJsonFile(sdk::Host host, std::unique_ptr<const FileFormat> format);
    ~WatchedJsonFile();
    WatchedJsonFile(const WatchedJsonFile&) = delete;
    WatchedJsonFile& operator=(const WatchedJsonFile&) = delete;

    // The entries in force, of the type the format's parse() produces.
    std::shared_ptr<const EntrySet> current() const;
    // Applies edit to the latest version of the file and writes the result;
    // rport::sdk::Error(RPORT_E_UNAVAILABLE) when the file cannot be written.
    void rewrite(const Edit& edit);

private:
    void loadInitially();
    void startWatching();
    void cleanUpAfterCrashedWriters();
    void onDiskActivity(DiskActivity activity);
    void reloadLocked();
    // Reads target before a write and loads it when it changed since the last
    // load; returns the stamp the new file should copy its mode and owner from.
    FileStamp catchUpBeforeWriting(const std::string& target);
    // The following require _updateMutex (or the constructor).
    void publish(std::shared_ptr<const EntrySet> entries, const FileStamp& stamp, std::string text);
    void logWarnings(const ParsedFile& parsed);

    // Prefixes a message with the file it concerns.
    std::string aboutFile(const std::string& message) const;

    // Where the file is read and replaced (symlinks resolved, so a linked file
    // stays linked) and the lock beside it, both from one resolution.
    struct Location {
        std::string file;
        std::string lock;
    };
    Location locate() const;

    const sdk::Host _host;
    const std::unique_ptr<const FileFormat> _format;
    const FileStoreSettings _settings;
    // Read and replaced only with std::atomic_load / std::atomic_store.
    std::shared_ptr<const EntrySet> _current;

    std::mutex _updateMutex;  // one reload or write at a time; guards the members below
    FileStamp _loadedStamp;
    KnownContent _loadedContent;
    // The version of the file that last failed to load, so the periodic check
    // does not report the same broken file every few seconds.
    std::optional<FileStamp> _rejectedStamp;
    bool _lastReloadFailed = false;

    // Declared last: destroyed first, so its thread is joined before anything
    // it calls into goes away.
    std::unique_ptr<DirectoryWatcher> _watcher;
};

}  // namespace rport::plugins::file_auth
