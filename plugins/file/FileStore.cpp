#include "FileStore.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "AtomicReplace.h"
#include "CredentialRenderer.h"
#include "NewCredential.h"

namespace rport::plugins::file_auth {
namespace {

using namespace std::chrono_literals;

// How long an API write waits for another holder of the lock (another rportd,
// an external tool) before giving up, and how long a reload waits for a
// writer that follows the locking convention before reading anyway.
constexpr auto kWriterPatience = 5000ms;
constexpr auto kReaderPatience = 500ms;
// Duplicate ids named in one warning; the rest are counted.
constexpr size_t kDuplicatesNamed = 10;

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string lockPathFor(const std::string& path) {
    const std::string directory = directoryOf(path);
    return (directory == "/" ? "" : directory) + "/." + fileNameOf(path) + ".lock";
}

std::string countOf(size_t n) {
    return std::to_string(n) + (n == 1 ? " client credential" : " client credentials");
}

}  // namespace

FileStore::FileStore(sdk::Host host)
    : _host(host), _settings(readSettings(host)), _lockPath(lockPathFor(_settings.path)) {
    loadInitially();
    if (_settings.writesExpected) cleanUpAfterCrashedWriters();
    startWatching();
}

FileStore::~FileStore() { _watcher.reset(); }

std::string FileStore::aboutFile(const std::string& message) const {
    return "client auth file " + quoted(_settings.path) + ": " + message;
}

std::shared_ptr<const CredentialIndex> FileStore::snapshot() const {
    return std::atomic_load(&_current);
}

void FileStore::publish(std::vector<Credential> entries, const FileStamp& stamp,
                        uint64_t fingerprint) {
    std::atomic_store(&_current, std::shared_ptr<const CredentialIndex>(
                                     std::make_shared<CredentialIndex>(std::move(entries))));
    _loadedStamp = stamp;
    _loadedFingerprint = fingerprint;
    _rejectedStamp.reset();
    _lastReloadFailed = false;
}

void FileStore::warnAboutDuplicates(const ParsedCredentials& parsed) {
    if (parsed.duplicateIds.empty()) return;
    std::string names;
    for (size_t i = 0; i < parsed.duplicateIds.size() && i < kDuplicatesNamed; ++i)
        names += (i ? ", " : "") + quoted(parsed.duplicateIds[i]);
    if (parsed.duplicateIds.size() > kDuplicatesNamed)
        names += " and " + std::to_string(parsed.duplicateIds.size() - kDuplicatesNamed) + " more";
    _host.warning(aboutFile("ids given more than once, the last value wins: " + names));
}

void FileStore::loadInitially() {
    FileContent content;
    try {
        AdvisoryLock lock = AdvisoryLock::sharedIfPresent(_lockPath, kReaderPatience);
        content = readWholeFile(_settings.path);
    } catch (const FileAccessError& e) {
        throw sdk::Error(RPORT_E_INVALID, aboutFile(std::string("cannot read: ") + e.what()));
    }
    ParsedCredentials parsed;
    try {
        parsed = parseCredentialText(content.text);
    } catch (const CredentialFormatError& e) {
        throw sdk::Error(RPORT_E_INVALID, aboutFile(e.what()));
    }
    warnAboutDuplicates(parsed);
    const size_t count = parsed.entries.size();
    publish(std::move(parsed.entries), content.stamp, contentFingerprint(content.text));
    _host.info(aboutFile("loaded " + countOf(count)));
}

// A writer killed between creating its temporary file and renaming it leaves
// the temporary file behind. Only the lock holder may remove such files; if
// someone else holds the lock right now, a later start will clean up.
void FileStore::cleanUpAfterCrashedWriters() {
    try {
        const std::string target = writeTarget();
        AdvisoryLock lock =
            AdvisoryLock::exclusive(_lockPath, lockFileOwner(statPath(target)), 0ms);
        removeLeftoverTempFiles(target);
    } catch (const std::exception& e) {
        _host.debug(aboutFile(std::string("no clean-up of temporary files: ") + e.what()));
    }
    if (::access(directoryOf(writeTarget()).c_str(), W_OK) != 0)
        _host.warning(aboutFile("its directory is not writable (" + systemMessage(errno) +
                                "), so changes through the API will fail"));
}

void FileStore::startWatching() {
    DirectoryWatcher::Options options;
    options.directory = directoryOf(_settings.path);
    options.fileName = fileNameOf(_settings.path);
    options.useInotify = _settings.useInotify;
    options.checkInterval = _settings.checkInterval;
    _watcher = std::make_unique<DirectoryWatcher>(
        std::move(options), [this](DiskActivity activity) { onDiskActivity(activity); },
        [this](const std::string& warning) { _host.warning(aboutFile(warning)); });
}

void FileStore::onDiskActivity(DiskActivity activity) {
    std::lock_guard<std::mutex> guard(_updateMutex);
    if (activity != DiskActivity::FileTouched) {
        // Cheap test first: only a new stamp is worth reading the file for.
        const FileStamp now = statPath(_settings.path);
        if (now.sameVersionAs(_loadedStamp)) return;
        if (_rejectedStamp && now.sameVersionAs(*_rejectedStamp)) return;
    }
    reloadLocked();
}

void FileStore::reloadLocked() {
    const size_t inForce = snapshot()->size();
    const std::string keeping = "; keeping the " + countOf(inForce) + " loaded before";
    FileContent content;
    try {
        AdvisoryLock lock = AdvisoryLock::sharedIfPresent(_lockPath, kReaderPatience);
        content = readWholeFile(_settings.path);
    } catch (const FileAccessError& e) {
        const FileStamp now = statPath(_settings.path);
        if (!_rejectedStamp || !now.sameVersionAs(*_rejectedStamp))
            _host.error(aboutFile(std::string("cannot reload: ") + e.what() + keeping));
        _rejectedStamp = now;
        _lastReloadFailed = true;
        return;
    }

    const uint64_t fingerprint = contentFingerprint(content.text);
    if (fingerprint == _loadedFingerprint) {
        // Our own write, a touch or chmod, or a broken edit undone: nothing to load.
        if (_lastReloadFailed)
            _host.info(
                aboutFile("is valid again and unchanged; " + countOf(inForce) + " in force"));
        _loadedStamp = content.stamp;
        _rejectedStamp.reset();
        _lastReloadFailed = false;
        return;
    }

    ParsedCredentials parsed;
    try {
        parsed = parseCredentialText(content.text);
    } catch (const CredentialFormatError& e) {
        _host.error(aboutFile(std::string("not reloaded: ") + e.what() + keeping));
        _rejectedStamp = content.stamp;
        _lastReloadFailed = true;
        return;
    }
    warnAboutDuplicates(parsed);
    const size_t count = parsed.entries.size();
    publish(std::move(parsed.entries), content.stamp, fingerprint);
    _host.info(aboutFile("reloaded, " + countOf(count)));
}

std::string FileStore::writeTarget() const {
    char resolved[PATH_MAX];
    if (::realpath(_settings.path.c_str(), resolved)) return resolved;
    return _settings.path;  // the error surfaces, with its reason, when the file is read
}

AdvisoryLock::NewFileOwner FileStore::lockFileOwner(const FileStamp& credentialsFile) const {
    if (!credentialsFile.exists) return {0600, ::geteuid(), ::getegid()};
    return {static_cast<mode_t>(credentialsFile.mode & 0666), credentialsFile.owner,
            credentialsFile.group};
}

void FileStore::rewrite(const Edit& edit) {
    std::lock_guard<std::mutex> guard(_updateMutex);
    const std::string target = writeTarget();

    std::optional<AdvisoryLock> lock;
    try {
        lock.emplace(
            AdvisoryLock::exclusive(_lockPath, lockFileOwner(statPath(target)), kWriterPatience));
    } catch (const LockError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE, aboutFile(std::string("not changed: ") + e.what()));
    }

    // The file may have changed since the last reload (an edit the watcher has
    // not delivered yet). Writing the in-memory set would silently undo it.
    FileContent onDisk;
    try {
        onDisk = readWholeFile(target);
    } catch (const FileAccessError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         aboutFile(std::string("cannot read it before writing: ") + e.what()));
    }
    const uint64_t onDiskFingerprint = contentFingerprint(onDisk.text);
    if (onDiskFingerprint != _loadedFingerprint) {
        ParsedCredentials parsed;
        try {
            parsed = parseCredentialText(onDisk.text);
        } catch (const CredentialFormatError& e) {
            throw sdk::Error(
                RPORT_E_UNAVAILABLE,
                aboutFile(
                    std::string("was changed on disk and is not valid, so it is left as it is "
                                "and the change is refused: ") +
                    e.what()));
        }
        warnAboutDuplicates(parsed);
        const size_t count = parsed.entries.size();
        publish(std::move(parsed.entries), onDisk.stamp, onDiskFingerprint);
        _host.info(aboutFile("reloaded before writing, " + countOf(count)));
    }

    std::vector<Credential> next = edit(*snapshot());
    const std::string text = renderCredentialText(next);
    ReplaceOutcome outcome;
    try {
        outcome = replaceFileAtomically(target, text, onDisk.stamp);
    } catch (const ReplaceError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE, aboutFile(std::string("not changed: ") + e.what()));
    }
    publish(std::move(next), outcome.stamp, contentFingerprint(text));
    if (!outcome.ownerKept)
        _host.warning(
            aboutFile("rewritten, but its owner or group could not be kept (not permitted)"));
    if (!outcome.directorySynced)
        _host.warning(aboutFile(
            "rewritten, but its directory could not be flushed; a power loss may undo the change"));
}

std::optional<sdk::AuthRecord> FileStore::get(std::string_view id) {
    const auto current = snapshot();
    const Credential* found = current->find(id);
    if (!found) return std::nullopt;
    return recordOf(*found);
}

sdk::ListPage FileStore::list(const sdk::ListQuery& query) { return snapshot()->list(query); }

void FileStore::add(const sdk::AuthRecord& record) {
    const Credential added = credentialToStore(record);
    rewrite([&](const CredentialIndex& current) {
        if (current.find(added.id))
            throw sdk::Error(RPORT_E_EXISTS,
                             "client auth id " + quoted(added.id) + " already exists");
        const auto& entries = current.entries();
        const auto position =
            std::lower_bound(entries.begin(), entries.end(), added.id,
                             [](const Credential& c, const std::string& id) { return c.id < id; });
        std::vector<Credential> next;
        next.reserve(entries.size() + 1);
        next.insert(next.end(), entries.begin(), position);
        next.push_back(added);
        next.insert(next.end(), position, entries.end());
        return next;
    });
}

void FileStore::remove(std::string_view id) {
    rewrite([&](const CredentialIndex& current) {
        if (!current.find(id))
            throw sdk::Error(RPORT_E_NOT_FOUND,
                             "client auth id " + quoted(std::string(id)) + " not found");
        std::vector<Credential> next;
        next.reserve(current.size() - 1);
        for (const auto& c : current.entries())
            if (c.id != id) next.push_back(c);
        return next;
    });
}

}  // namespace rport::plugins::file_auth
