#include "WatchedJsonFile.h"

#include <unistd.h>

#include <cerrno>

#include "AtomicReplace.h"

namespace rport::plugins::file_auth {
namespace {

using namespace std::chrono_literals;

// How long an API write waits for another holder of the lock (another rportd,
// an external tool) before giving up, and how long a reload waits for a
// writer that follows the locking convention before reading anyway.
constexpr auto kWriterPatience = 5000ms;
constexpr auto kReaderPatience = 500ms;

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// What a file this process creates looks like: private to rportd's user, as
// the original server creates its users file.
FileStamp stampForNewFile() {
    FileStamp s;
    s.mode = S_IFREG | 0600;
    s.owner = ::geteuid();
    s.group = ::getegid();
    return s;
}

// Ownership for the lock file, so whoever may read the file may take the lock.
AdvisoryLock::NewFileOwner lockFileOwner(const FileStamp& file) {
    const FileStamp& model = file.exists ? file : stampForNewFile();
    return {static_cast<mode_t>(model.mode & 0666), model.owner, model.group};
}

}  // namespace

WatchedJsonFile::WatchedJsonFile(sdk::Host host, std::unique_ptr<const FileFormat> format)
    : _host(host), _format(std::move(format)), _settings(readSettings(host, _format->title())) {
    loadInitially();
    if (_settings.writesExpected) cleanUpAfterCrashedWriters();
    startWatching();
}

WatchedJsonFile::~WatchedJsonFile() { _watcher.reset(); }

std::string WatchedJsonFile::aboutFile(const std::string& message) const {
    return _format->title() + " " + quoted(_settings.path) + ": " + message;
}

std::shared_ptr<const EntrySet> WatchedJsonFile::current() const {
    return std::atomic_load(&_current);
}

void WatchedJsonFile::publish(std::shared_ptr<const EntrySet> entries, const FileStamp& stamp,
                              std::string text) {
    std::atomic_store(&_current, std::move(entries));
    _loadedStamp = stamp;
    _loadedContent.remember(std::move(text));
    _rejectedStamp.reset();
    _lastReloadFailed = false;
}

void WatchedJsonFile::logWarnings(const ParsedFile& parsed) {
    for (const auto& warning : parsed.warnings) _host.warning(aboutFile(warning));
}

WatchedJsonFile::Location WatchedJsonFile::locate() const {
    std::string file = resolvedPath(_settings.path);
    const std::string directory = directoryOf(file);
    std::string lock = (directory == "/" ? "" : directory) + "/." + fileNameOf(file) + ".lock";
    return {std::move(file), std::move(lock)};
}

void WatchedJsonFile::loadInitially() {
    FileContent content;
    try {
        const Location where = locate();
        AdvisoryLock lock = AdvisoryLock::sharedIfPresent(where.lock, kReaderPatience);
        content = readWholeFile(where.file, _settings.maxFileBytes);
    } catch (const FileAccessError& e) {
        throw sdk::Error(RPORT_E_INVALID, aboutFile(std::string("cannot read: ") + e.what()));
    }
    ParsedFile parsed;
    try {
        parsed = _format->parse(content.text);
    } catch (const FileFormatError& e) {
        throw sdk::Error(RPORT_E_INVALID, aboutFile(e.what()));
    }
    logWarnings(parsed);
    const size_t count = parsed.entries->size();
    publish(std::move(parsed.entries), content.stamp, std::move(content.text));
    _host.info(aboutFile("loaded " + _format->countOf(count)));
}

// A writer killed between creating its temporary file and renaming it leaves
// the temporary file behind. Only the lock holder may remove such files; if
// someone else holds the lock right now, a later start will clean up.
void WatchedJsonFile::cleanUpAfterCrashedWriters() {
    const Location where = locate();
    try {
        AdvisoryLock lock =
            AdvisoryLock::exclusive(where.lock, lockFileOwner(statPath(where.file)), 0ms);
        removeLeftoverTempFiles(where.file);
    } catch (const std::exception& e) {
        _host.debug(aboutFile(std::string("no clean-up of temporary files: ") + e.what()));
    }
    if (::access(directoryOf(where.file).c_str(), W_OK) != 0)
        _host.warning(aboutFile("its directory is not writable (" + systemMessage(errno) +
                                "), so changes through the API will fail"));
}

void WatchedJsonFile::startWatching() {
    DirectoryWatcher::Options options;
    options.directory = directoryOf(_settings.path);
    options.fileName = fileNameOf(_settings.path);
    options.useInotify = _settings.useInotify;
    options.checkInterval = _settings.checkInterval;
    _watcher = std::make_unique<DirectoryWatcher>(
        std::move(options), [this](DiskActivity activity) { onDiskActivity(activity); },
        [this](const std::string& warning) { _host.warning(aboutFile(warning)); });
}

void WatchedJsonFile::onDiskActivity(DiskActivity activity) {
    std::lock_guard<std::mutex> guard(_updateMutex);
    if (activity != DiskActivity::FileTouched) {
        // Cheap test first: only a new stamp is worth reading the file for.
        const FileStamp now = statPath(_settings.path);
        if (now.sameVersionAs(_loadedStamp)) return;
        if (_rejectedStamp && now.sameVersionAs(*_rejectedStamp)) return;
    }
    reloadLocked();
}

void WatchedJsonFile::reloadLocked() {
    const size_t inForce = current()->size();
    const std::string keeping = "; keeping the " + _format->countOf(inForce) + " loaded before";
    FileContent content;
    try {
        const Location where = locate();
        AdvisoryLock lock = AdvisoryLock::sharedIfPresent(where.lock, kReaderPatience);
        content = readWholeFile(where.file, _settings.maxFileBytes);
    } catch (const FileAccessError& e) {
        const FileStamp now = statPath(_settings.path);
        if (!_rejectedStamp || !now.sameVersionAs(*_rejectedStamp))
            _host.error(aboutFile(std::string("cannot reload: ") + e.what() + keeping));
        _rejectedStamp = now;
        _lastReloadFailed = true;
        return;
    }

    if (_loadedContent.matches(content.text)) {
        // Our own write, a touch or chmod, or a broken edit undone: nothing to load.
        if (_lastReloadFailed)
            _host.info(aboutFile("is valid again and unchanged; " + _format->countOf(inForce) +
                                 " in force"));
        _loadedStamp = content.stamp;
        _rejectedStamp.reset();
        _lastReloadFailed = false;
        return;
    }

    ParsedFile parsed;
    try {
        parsed = _format->parse(content.text);
    } catch (const FileFormatError& e) {
        _host.error(aboutFile(std::string("not reloaded: ") + e.what() + keeping));
        _rejectedStamp = content.stamp;
        _lastReloadFailed = true;
        return;
    }
    logWarnings(parsed);
    const size_t count = parsed.entries->size();
    publish(std::move(parsed.entries), content.stamp, std::move(content.text));
    _host.info(aboutFile("reloaded, " + _format->countOf(count)));
}

FileStamp WatchedJsonFile::catchUpBeforeWriting(const std::string& target) {
    if (_format->recreatesMissingFile() && isMissing(target)) {
        _host.warning(aboutFile("was deleted; writing it again from the " +
                                _format->countOf(current()->size()) + " in force"));
        return stampForNewFile();
    }
    // The file may have changed since the last reload (an edit the watcher has
    // not delivered yet). Writing the in-memory set would silently undo it.
    FileContent onDisk;
    try {
        onDisk = readWholeFile(target, _settings.maxFileBytes);
    } catch (const FileAccessError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         aboutFile(std::string("cannot read it before writing: ") + e.what()));
    }
    if (_loadedContent.matches(onDisk.text)) return onDisk.stamp;

    ParsedFile parsed;
    try {
        parsed = _format->parse(onDisk.text);
    } catch (const FileFormatError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         aboutFile(std::string("was changed on disk and is not valid, so it is "
                                               "left as it is and the change is refused: ") +
                                   e.what()));
    }
    logWarnings(parsed);
    const size_t count = parsed.entries->size();
    publish(std::move(parsed.entries), onDisk.stamp, std::move(onDisk.text));
    _host.info(aboutFile("reloaded before writing, " + _format->countOf(count)));
    return onDisk.stamp;
}

void WatchedJsonFile::rewrite(const Edit& edit) {
    std::lock_guard<std::mutex> guard(_updateMutex);
    const Location where = locate();

    std::optional<AdvisoryLock> lock;
    try {
        lock.emplace(AdvisoryLock::exclusive(where.lock, lockFileOwner(statPath(where.file)),
                                             kWriterPatience));
    } catch (const LockError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE, aboutFile(std::string("not changed: ") + e.what()));
    }

    const FileStamp keepFrom = catchUpBeforeWriting(where.file);
    Replacement next = edit(*current());
    // Written, it could not be loaded again (at the next start, by another rportd).
    if (next.text.size() > _settings.maxFileBytes)
        throw sdk::Error(
            RPORT_E_UNAVAILABLE,
            aboutFile("not changed: the new version would be " + std::to_string(next.text.size()) +
                      " bytes, larger than the limit of " + std::to_string(_settings.maxFileBytes) +
                      " bytes"));
    ReplaceOutcome outcome;
    try {
        outcome = replaceFileAtomically(where.file, next.text, keepFrom);
    } catch (const ReplaceError& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE, aboutFile(std::string("not changed: ") + e.what()));
    }
    publish(std::move(next.entries), outcome.stamp, std::move(next.text));
    if (!outcome.directorySynced)
        _host.warning(aboutFile(
            "rewritten, but its directory could not be flushed; a power loss may undo the change"));
}

}  // namespace rport::plugins::file_auth
