#include "plugin_host/InstanceContext.h"

#include <ctime>

#include <Poco/Logger.h>

#include <exception>

#include "plugin_host/HostServices.h"
#include "plugin_host/StateDirectory.h"

namespace rportd::plugin_host {

void InstanceContext::recordError(std::string message) {
    std::lock_guard<std::mutex> lock(_errorMutex);
    _lastError = std::move(message);
    _lastErrorAt = static_cast<int64_t>(std::time(nullptr));
}

std::pair<std::string, int64_t> InstanceContext::lastError() const {
    std::lock_guard<std::mutex> lock(_errorMutex);
    return {_lastError, _lastErrorAt};
}

InstanceContext::InstanceContext(HostServices& services, InstanceIdentity identity,
                                 Settings settings)
    : _services(services),
      _identity(std::move(identity)),
      _settings(std::move(settings)),
      _dataDir(services.dataDir()),
      _logger(Poco::Logger::get("plugin." + _identity.pluginName)) {}

InstanceContext::~InstanceContext() { close(); }

std::string InstanceContext::label() const { return _identity.kind + "/" + _identity.backendName; }

std::optional<std::string_view> InstanceContext::setting(std::string_view key) const noexcept {
    for (const auto& [k, v] : _settings)
        if (k == key) return std::string_view(v);
    return std::nullopt;
}

void InstanceContext::setCertChangedHandler(std::function<void()> handler) {
    std::lock_guard<std::mutex> lock(_handlerMutex);
    _certChanged = std::move(handler);
}

void InstanceContext::notifyCertChanged() noexcept {
    try {
        // A copy, called without the lock: the handler calls current(),
        // which may make the plugin call cert_changed again. Copying may
        // throw as much as calling.
        std::function<void()> handler;
        {
            std::lock_guard<std::mutex> lock(_handlerMutex);
            handler = _certChanged;
        }
        if (handler) handler();
    } catch (const std::exception& e) {
        logHandlerFailure(e.what());
    } catch (...) {
        logHandlerFailure(nullptr);
    }
}

void InstanceContext::logHandlerFailure(const char* why) const noexcept {
    try {
        if (why)
            _logger.error("%s: certificate change handler failed: %s", label(), std::string(why));
        else
            _logger.error("%s: certificate change handler failed", label());
    } catch (...) {
        // Not even the log line could be made; the plugin still must not see it.
    }
}

std::optional<uint64_t> InstanceContext::startTimer(std::chrono::milliseconds delay,
                                                    std::chrono::milliseconds period,
                                                    std::function<void()> fire) {
    std::lock_guard<std::mutex> lock(_lifecycleMutex);
    if (_closed) return std::nullopt;
    return _services.timers().start(this, delay, period, std::move(fire));
}

bool InstanceContext::cancelTimer(uint64_t id) { return _services.timers().cancel(this, id); }

bool InstanceContext::publishHttp01(std::string_view token, std::string_view keyAuthorization) {
    std::lock_guard<std::mutex> lock(_lifecycleMutex);
    if (_closed) return false;
    return _services.http01Tokens().publish(token, keyAuthorization, this);
}

int32_t InstanceContext::publishTlsAlpn01(std::string_view name, std::string_view certPem,
                                          std::string_view keyPem) {
    std::lock_guard<std::mutex> lock(_lifecycleMutex);
    if (_closed) return RPORT_E_UNAVAILABLE;
    switch (_services.tlsAlpn01Challenges().publish(name, certPem, keyPem, this)) {
        case TlsAlpn01Challenges::PublishResult::Published:
            return RPORT_OK;
        // Either way no TLS listener answers it: "not offered" lets the
        // plugin choose another challenge (UNAVAILABLE means "closing").
        case TlsAlpn01Challenges::PublishResult::NoListener:
        case TlsAlpn01Challenges::PublishResult::Refused:
            return RPORT_E_UNSUPPORTED;
        case TlsAlpn01Challenges::PublishResult::Invalid:
            break;
    }
    return RPORT_E_INVALID;
}

bool InstanceContext::withdrawTlsAlpn01(std::string_view name) {
    return _services.tlsAlpn01Challenges().withdraw(name, this);
}

void InstanceContext::reportStatus(rport::sdk::ProviderStatus status) {
    std::lock_guard<std::mutex> lock(_statusMutex);
    auto it = _statuses.find(status.name);
    if (it != _statuses.end()) {
        it->second = std::move(status);
        return;
    }
    if (_statuses.size() >= kMaxStatusNames) {
        if (!_statusesOverflowed)
            _logger.warning("%s: status reports for more than %z names; further names ignored",
                            label(), kMaxStatusNames);
        _statusesOverflowed = true;
        return;
    }
    std::string name = status.name;
    _statuses.emplace(std::move(name), std::move(status));
}

std::vector<rport::sdk::ProviderStatus> InstanceContext::statuses() const {
    std::lock_guard<std::mutex> lock(_statusMutex);
    std::vector<rport::sdk::ProviderStatus> out;
    out.reserve(_statuses.size());
    for (const auto& entry : _statuses) out.push_back(entry.second);
    return out;
}

const std::string* InstanceContext::stateDir() {
    std::lock_guard<std::mutex> lock(_stateDirMutex);
    if (_stateDir) return &*_stateDir;
    // Not cached on failure: the operator may fix the path, and the next
    // call then succeeds.
    std::string why;
    _stateDir = prepareStateDirectory(_dataDir, _identity.backendName, why);
    if (!_stateDir) {
        _logger.error("%s: no state directory: %s", label(), why);
        return nullptr;
    }
    return &*_stateDir;
}

void InstanceContext::close() {
    {
        std::lock_guard<std::mutex> lock(_lifecycleMutex);
        if (_closed) return;
        _closed = true;
    }
    // Outside the lock: cancelAll may wait for a running callback, and that
    // callback may be trying to start a timer.
    _services.timers().cancelAll(this);
    _services.http01Tokens().withdrawAll(this);
    _services.tlsAlpn01Challenges().withdrawAll(this);
}

bool InstanceContext::closed() const {
    std::lock_guard<std::mutex> lock(_lifecycleMutex);
    return _closed;
}

}  // namespace rportd::plugin_host
