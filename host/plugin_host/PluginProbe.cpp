#include "plugin_host/PluginProbe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <optional>

#include "plugin_host/PluginAttribution.h"
#include "plugin_host/PluginLoader.h"

namespace rportd::plugin_host {

namespace {

using Clock = std::chrono::steady_clock;

// The child speaks in records: 'B' index (examination of files[index]
// began) and 'R' index verdict (it ended). Numbers are native uint32 (both
// ends are the same binary), strings a length and the bytes.
constexpr char kBegan = 'B';
constexpr char kResult = 'R';
constexpr char kLogLine = 'L';  // level, text: what the entry function logged
// A plugin's entry may log; that much of it is passed on per file, and each
// line fits one atomic pipe write (PIPE_BUF), whichever thread writes it.
constexpr int kMaxLinesPerFile = 64;
constexpr size_t kMaxLineText = 2048;
// Bounds on what a child may send, so a plugin that scribbles on the pipe
// cannot make the parent allocate without limit.
constexpr uint32_t kMaxText = 64 * 1024;
constexpr uint32_t kMaxItems = 1024;
constexpr size_t kMaxPending = 4 * 1024 * 1024;

class RecordWriter {
public:
    void byte(char c) { _bytes.push_back(c); }
    void number(uint32_t n) { _bytes.append(reinterpret_cast<const char*>(&n), sizeof n); }
    void text(const std::string& s) {
        const std::string bounded = s.substr(0, kMaxText);
        number(static_cast<uint32_t>(bounded.size()));
        _bytes += bounded;
    }
    // Everything or nothing: false when the parent went away.
    bool sendTo(int fd) {
        size_t sent = 0;
        while (sent < _bytes.size()) {
            const ssize_t n = ::write(fd, _bytes.data() + sent, _bytes.size() - sent);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            sent += static_cast<size_t>(n);
        }
        _bytes.clear();
        return true;
    }

private:
    std::string _bytes;
};

// Reads records out of what has arrived so far; nullopt means "not complete
// yet" and leaves the buffer alone, so the caller can wait for more.
class RecordReader {
public:
    explicit RecordReader(const std::string& bytes) : _bytes(bytes) {}
    size_t consumed() const noexcept { return _at; }
    bool malformed() const noexcept { return _malformed; }

    std::optional<char> byte() {
        if (_at >= _bytes.size()) return std::nullopt;
        return _bytes[_at++];
    }
    std::optional<uint32_t> number() {
        if (_bytes.size() - _at < sizeof(uint32_t)) return std::nullopt;
        uint32_t n = 0;
        std::memcpy(&n, _bytes.data() + _at, sizeof n);
        _at += sizeof n;
        return n;
    }
    std::optional<uint32_t> count() {
        auto n = number();
        if (n && *n > kMaxItems) _malformed = true;
        return _malformed ? std::nullopt : n;
    }
    std::optional<std::string> text() {
        auto length = number();
        if (!length) return std::nullopt;
        if (*length > kMaxText) {
            _malformed = true;
            return std::nullopt;
        }
        if (_bytes.size() - _at < *length) return std::nullopt;
        std::string s = _bytes.substr(_at, *length);
        _at += *length;
        return s;
    }
    void fail() { _malformed = true; }

private:
    const std::string& _bytes;
    size_t _at = 0;
    bool _malformed = false;
};

// The rest of an 'R' record; nullopt when it is incomplete or garbled
// (reader.malformed() tells which).
std::optional<ProbeVerdict> readVerdict(RecordReader& reader) {
    ProbeVerdict v;
    auto refusal = reader.text();
    auto name = refusal ? reader.text() : std::nullopt;
    auto version = name ? reader.text() : std::nullopt;
    auto abiMinor = version ? reader.number() : std::nullopt;
    auto backends = abiMinor ? reader.count() : std::nullopt;
    if (!backends) return std::nullopt;
    for (uint32_t b = 0; b < *backends; ++b) {
        auto kind = reader.text();
        auto backendName = kind ? reader.text() : std::nullopt;
        auto flags = backendName ? reader.number() : std::nullopt;
        if (!flags) return std::nullopt;
        v.backends.push_back({std::move(*kind), std::move(*backendName), *flags, nullptr});
    }
    auto skipped = reader.count();
    if (!skipped) return std::nullopt;
    for (uint32_t i = 0; i < *skipped; ++i) {
        auto text = reader.text();
        if (!text) return std::nullopt;
        v.skipped.push_back(std::move(*text));
    }
    v.refusal = std::move(*refusal);
    v.name = std::move(*name);
    v.version = std::move(*version);
    v.abiMinor = *abiMinor;
    return v;
}

// The child's log service: lines go to the parent, which logs them under the
// plugin's name as if the entry had run there.
int gProbeOut = -1;
std::atomic<int> gLinesLeft{0};

void forwardLog(rport_host_ctx*, int32_t level, rport_str message) noexcept {
    if (gLinesLeft.fetch_sub(1) <= 0 || (message.len > 0 && !message.ptr)) return;
    try {
        RecordWriter line;
        line.byte(kLogLine);
        line.number(static_cast<uint32_t>(level));
        line.text(std::string(message.ptr ? message.ptr : "", std::min(message.len, kMaxLineText)));
        line.sendTo(gProbeOut);
    } catch (...) {
    }
}

[[noreturn]] void examineInChild(const std::vector<std::string>& files, size_t first,
                                 const rport_host_v1* host, int out) {
    // Die with the parent rather than linger if it is killed meanwhile.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // A plugin that crashes here should end the child by its signal, which
    // the parent reports as a crash; handlers inherited from the parent (a
    // sanitizer runtime's, say) would turn it into an ordinary exit.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(sig, SIG_DFL);
    // A plugin that prints, or reads its stdin, touches nothing of ours.
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0)
        for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    gProbeOut = out;
    rport_host_v1 forwarding = *host;
    forwarding.log = &forwardLog;
    PluginLoader loader(&forwarding);
    for (size_t i = first; i < files.size(); ++i) {
        gLinesLeft = kMaxLinesPerFile;
        RecordWriter began;
        began.byte(kBegan);
        began.number(static_cast<uint32_t>(i));
        if (!began.sendTo(out)) ::_exit(1);

        PluginLoadResult result = loader.load(files[i]);
        RecordWriter verdict;
        verdict.byte(kResult);
        verdict.number(static_cast<uint32_t>(i));
        verdict.text(result.plugin ? std::string() : result.refusal);
        const LoadedPlugin* plugin = result.plugin.get();
        verdict.text(plugin ? plugin->name : std::string());
        verdict.text(plugin ? plugin->version : std::string());
        verdict.number(plugin ? plugin->abiMinor : 0);
        verdict.number(plugin ? static_cast<uint32_t>(plugin->backends.size()) : 0);
        if (plugin)
            for (const BackendEntry& b : plugin->backends) {
                verdict.text(b.kind);
                verdict.text(b.name);
                verdict.number(b.flags);
            }
        verdict.number(static_cast<uint32_t>(result.skipped.size()));
        for (const std::string& s : result.skipped) verdict.text(s);
        if (!verdict.sendTo(out)) ::_exit(1);
        // The image stays mapped: unmapping could run the plugin's
        // destructors, and the process ends here anyway.
        if (result.plugin) new std::shared_ptr<LoadedPlugin>(std::move(result.plugin));
    }
    ::_exit(0);
}

std::string describeEnd(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* name = ::sigabbrev_np(sig);
        return "crashed while being examined (signal " + std::to_string(sig) +
               (name ? std::string(", SIG") + name : std::string()) + ")";
    }
    if (WIFEXITED(status))
        return "ended the process while being examined (exit status " +
               std::to_string(WEXITSTATUS(status)) + ")";
    return "stopped the process while being examined";
}

// One child over files[first..]: fills verdicts as they come and returns the
// index to resume from.
size_t examineFrom(const std::vector<std::string>& files, size_t first, const rport_host_v1* host,
                   const ProbeLimits& limits, std::vector<ProbeVerdict>& verdicts) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        const std::string why =
            std::string("cannot be examined (pipe: ") + std::strerror(errno) + ")";
        for (size_t i = first; i < files.size(); ++i) verdicts[i].refusal = why;
        return files.size();
    }
    const pid_t child = ::fork();
    if (child < 0) {
        const std::string why =
            std::string("cannot be examined (fork: ") + std::strerror(errno) + ")";
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        for (size_t i = first; i < files.size(); ++i) verdicts[i].refusal = why;
        return files.size();
    }
    if (child == 0) {
        ::close(pipeFds[0]);
        examineInChild(files, first, host, pipeFds[1]);
    }
    ::close(pipeFds[1]);
    const int in = pipeFds[0];

    std::string pending;
    constexpr size_t kNone = static_cast<size_t>(-1);
    size_t current = kNone;  // began, no verdict yet
    size_t resumeAt = first;
    Clock::time_point deadline = Clock::now() + limits.perFile;
    std::string blame;  // why the child was stopped, when it was
    bool open = true;
    while (open) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            blame = "did not finish loading within " + std::to_string(limits.perFile.count()) +
                    " ms (its entry function hangs?)";
            break;
        }
        pollfd p{in, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;  // the deadline check above decides
        char chunk[16 * 1024];
        const ssize_t n = ::read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            open = false;
            break;
        }
        pending.append(chunk, static_cast<size_t>(n));
        if (pending.size() > kMaxPending) {
            blame = "sent more than the examination allows";
            break;
        }
        bool garbled = false;
        while (!garbled) {
            RecordReader reader(pending);
            auto type = reader.byte();
            auto index = reader.number();
            if (!type || !index) break;
            if (*type == kLogLine) {
                // index is the level here; the line belongs to the current file.
                auto text = reader.text();
                if (!text) {
                    garbled = reader.malformed();
                    break;
                }
                if (current != kNone) {
                    const std::string stem = std::filesystem::path(files[current]).stem().string();
                    PluginAttribution attribution(stem);
                    host->log(nullptr, static_cast<int32_t>(*index),
                              rport_str{text->data(), text->size()});
                }
            } else if (*index < first || *index >= files.size() ||
                       (*type != kBegan && *type != kResult) ||
                       (*type == kResult && current != *index)) {
                reader.fail();
            } else if (*type == kBegan) {
                current = *index;
                deadline = Clock::now() + limits.perFile;
            } else {
                std::optional<ProbeVerdict> verdict = readVerdict(reader);
                if (!verdict) {
                    garbled = reader.malformed();  // otherwise incomplete: wait for more
                    break;
                }
                verdict->file = files[*index];
                verdicts[*index] = std::move(*verdict);
                current = kNone;
                resumeAt = *index + 1;
                deadline = Clock::now() + limits.perFile;
            }
            garbled = reader.malformed();
            if (!garbled) pending.erase(0, reader.consumed());
        }
        if (garbled) blame = "garbled its examination";
        if (!blame.empty()) break;
    }
    ::close(in);
    if (!blame.empty()) ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (resumeAt >= files.size()) return resumeAt;
    // The file the child was on (or, if it died before beginning one, the
    // next one: never loop on the same start) is refused.
    const size_t culprit = current != kNone ? current : resumeAt;
    verdicts[culprit].refusal = blame.empty() ? describeEnd(status) : blame;
    return culprit + 1;
}

}  // namespace

std::vector<ProbeVerdict> probePlugins(const std::vector<std::string>& files,
                                       const rport_host_v1* host, ProbeLimits limits) {
    std::vector<ProbeVerdict> verdicts(files.size());
    for (size_t i = 0; i < files.size(); ++i) verdicts[i].file = files[i];
    size_t next = 0;
    while (next < files.size()) next = examineFrom(files, next, host, limits, verdicts);
    return verdicts;
}

}  // namespace rportd::plugin_host
