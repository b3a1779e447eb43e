#pragma once
// What rport_host_ctx* points to: everything the host services need to know
// about one backend instance. It lives from before create() until after
// destroy(), so the strings handed to the plugin (settings, data dir, kind)
// stay valid for that whole time, as plugin.h promises.
#include <rport/plugin.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <rport/types.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_host/Settings.h"

namespace Poco {
class Logger;
}

// plugin.h only declares this type; the host gives it a body so that an
// InstanceContext converts to and from rport_host_ctx* without casts that
// could silently go wrong.
struct rport_host_ctx {
protected:
    rport_host_ctx() = default;
};

namespace rportd::plugin_host {

class HostServices;

// Who an instance belongs to; copied into every log line it writes.
struct InstanceIdentity {
    std::string pluginName;
    std::string pluginFile;
    std::string kind;         // "client-auth", "api-auth", "cert-provider"
    std::string backendName;  // what rportd.conf selects
};

class InstanceContext : public rport_host_ctx {
public:
    InstanceContext(HostServices& services, InstanceIdentity identity, Settings settings);
    // Closes the context if that has not happened yet.
    ~InstanceContext();
    InstanceContext(const InstanceContext&) = delete;
    InstanceContext& operator=(const InstanceContext&) = delete;

    static InstanceContext* from(rport_host_ctx* ctx) noexcept {
        return static_cast<InstanceContext*>(ctx);
    }
    rport_host_ctx* handle() noexcept { return this; }

    HostServices& services() const noexcept { return _services; }
    const InstanceIdentity& identity() const noexcept { return _identity; }
    const std::string& kind() const noexcept { return _identity.kind; }
    // "client-auth/file": how log lines and errors name the instance.
    std::string label() const;

    // The first setting with that key. The view stays valid until destruction.
    std::optional<std::string_view> setting(std::string_view key) const noexcept;
    const Settings& settings() const noexcept { return _settings; }
    const std::string& dataDir() const noexcept { return _dataDir; }

    // The logger named "plugin.<plugin name>".
    Poco::Logger& logger() const noexcept { return _logger; }

    // The last line the instance logged at error level, and when (Unix
    // seconds): /status shows it for certificate providers. Thread-safe.
    void recordError(std::string message);
    std::pair<std::string, int64_t> lastError() const;

    // What cert_changed calls. The handler runs on whichever thread the plugin
    // called from, without any host lock held; an empty handler drops the
    // notification (the host asks current() after create anyway). Whatever
    // the handler (or copying it) throws is logged, never passed on.
    void setCertChangedHandler(std::function<void()> handler);
    void notifyCertChanged() noexcept;

    // Timers, HTTP-01 tokens and TLS-ALPN-01 challenges owned by this
    // instance. They refuse (nullopt, false, RPORT_E_UNAVAILABLE) once the
    // context is closed, so nothing outlives the instance.
    std::optional<uint64_t> startTimer(std::chrono::milliseconds delay,
                                       std::chrono::milliseconds period,
                                       std::function<void()> fire);
    bool cancelTimer(uint64_t id);
    bool publishHttp01(std::string_view token, std::string_view keyAuthorization);
    // RPORT_OK, RPORT_E_INVALID (malformed), RPORT_E_UNSUPPORTED (no TLS
    // listener to answer it) or RPORT_E_UNAVAILABLE (closed).
    int32_t publishTlsAlpn01(std::string_view name, std::string_view certPem,
                             std::string_view keyPem);
    // False when this instance has no challenge published for the name.
    bool withdrawTlsAlpn01(std::string_view name);

    // The latest status per name (status_report), sorted by name. A provider
    // reports a handful of names; past kMaxStatusNames new names are dropped
    // (with one warning) so a runaway plugin cannot grow the host's memory.
    static constexpr size_t kMaxStatusNames = 100;
    void reportStatus(rport::sdk::ProviderStatus status);
    std::vector<rport::sdk::ProviderStatus> statuses() const;

    // <data_dir>/<backend name>, prepared at the first call (StateDirectory.h)
    // and the same string, at the same address, on every later call; null,
    // with the reason logged, while it cannot be prepared.
    const std::string* stateDir();

    // Before destroy(): cancels the instance's timers (waiting for a running
    // callback), withdraws its HTTP-01 tokens and TLS-ALPN-01 challenges and
    // refuses new ones, so no host thread calls into the instance once
    // destroy() starts.
    void close();
    bool closed() const;

private:
    void logHandlerFailure(const char* why) const noexcept;

    mutable std::mutex _errorMutex;
    std::string _lastError;
    int64_t _lastErrorAt = 0;
    HostServices& _services;
    const InstanceIdentity _identity;
    const Settings _settings;  // never modified: plugins hold views into it
    const std::string _dataDir;
    Poco::Logger& _logger;
    // Orders close() against startTimer/publishHttp01 from plugin threads: a
    // timer is either refused or started early enough for close() to cancel it.
    mutable std::mutex _lifecycleMutex;
    bool _closed = false;
    std::mutex _handlerMutex;
    std::function<void()> _certChanged;
    mutable std::mutex _statusMutex;
    std::map<std::string, rport::sdk::ProviderStatus> _statuses;
    bool _statusesOverflowed = false;
    std::mutex _stateDirMutex;
    std::optional<std::string> _stateDir;  // set once, then never changed: plugins hold views
};

}  // namespace rportd::plugin_host
