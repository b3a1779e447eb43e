#pragma once
// The "file" client-auth store: [server] auth_file, a JSON object mapping
// client-auth ids to passwords (plaintext or bcrypt), served from memory.
//
// When changes to the file take effect
//   - Changes through the API (add, delete) are in force for every lookup as
//     soon as the API call returns.
//   - An edit on disk that replaces the file by rename (mv, most editors,
//     provisioning tools) or writes it in place and closes it is usually in
//     force within 100 ms: the store watches the file's directory with inotify,
//     waits until it has been quiet for 25 ms (at most 250 ms into a burst of
//     events), then reads the file once.
//   - Changes inotify does not report (network file systems, a symlink whose
//     target lives in another directory, no inotify available) are picked up
//     by a check of the file's inode, size and times every 2 s
//     (check_interval_ms), so at most about 2 s later.
//   - A change applies completely or not at all. The new file is parsed and
//     validated in full and then swapped in at once. If it is missing,
//     unreadable or invalid, the credentials loaded before stay in force and
//     the reason is logged as an error (once per version of the file); the
//     next valid version is picked up as usual.
//   - Before an API write the file is read again under the lock; an external
//     edit not yet picked up is loaded first, so the API change is applied on
//     top of it. If the file on disk is invalid at that moment, the API write
//     is refused and the file left as it is.
//
// Writing: the whole file is rewritten to a temporary file in the same
// directory, flushed, renamed over the original and the directory flushed, all
// under flock(2) on ".<name>.lock" beside the file. Mode, owner and group are
// kept. A crash at any moment leaves the old or the new complete file.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <rport/plugin.hpp>
#include <string>
#include <vector>

#include "AdvisoryLock.h"
#include "CredentialIndex.h"
#include "CredentialParser.h"
#include "DirectoryWatcher.h"
#include "DiskFile.h"
#include "FileStoreSettings.h"

namespace rport::plugins::file_auth {

// Safe for concurrent calls: lookups and listings read an immutable snapshot
// taken atomically and never wait for a reload or a write; reloads and writes
// take turns on one mutex.
class FileStore final : public sdk::AuthStore {
public:
    // Loads the file; any problem with it fails creation with a message naming
    // the path and, for bad content, the entry or line and column.
    explicit FileStore(sdk::Host host);
    ~FileStore() override;

    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view id) override;
    // A file can be written; whether the API may do so ([server] auth_write)
    // is decided by the host.
    bool writable() const override { return true; }

private:
    // Produces the complete new list of entries from the current one, or
    // throws to refuse the change.
    using Edit = std::function<std::vector<Credential>(const CredentialIndex& current)>;

    std::shared_ptr<const CredentialIndex> snapshot() const;
    void loadInitially();
    void startWatching();
    void cleanUpAfterCrashedWriters();
    void onDiskActivity(DiskActivity activity);
    void reloadLocked();
    void rewrite(const Edit& edit);
    // The following require _updateMutex (or the constructor).
    void publish(std::vector<Credential> entries, const FileStamp& stamp, uint64_t fingerprint);
    void warnAboutDuplicates(const ParsedCredentials& parsed);

    // Prefixes a message with the file it concerns.
    std::string aboutFile(const std::string& message) const;
    // The path to replace on write: symlinks resolved, so a linked file stays linked.
    std::string writeTarget() const;
    AdvisoryLock::NewFileOwner lockFileOwner(const FileStamp& credentialsFile) const;

    const sdk::Host _host;
    const FileStoreSettings _settings;
    const std::string _lockPath;
    // Read and replaced only with std::atomic_load / std::atomic_store.
    std::shared_ptr<const CredentialIndex> _current;

    std::mutex _updateMutex;  // one reload or write at a time; guards the members below
    FileStamp _loadedStamp;
    uint64_t _loadedFingerprint = 0;
    // The version of the file that last failed to load, so the periodic check
    // does not report the same broken file every few seconds.
    std::optional<FileStamp> _rejectedStamp;
    bool _lastReloadFailed = false;

    // Declared last: destroyed first, so its thread is joined before anything
    // it calls into goes away.
    std::unique_ptr<DirectoryWatcher> _watcher;
};

}  // namespace rport::plugins::file_auth
