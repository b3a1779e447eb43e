#include "plugin_host/InstanceContext.h"

#include <ctime>

#include <Poco/Logger.h>

#include <exception>

#include "plugin_host/HostServices.h"

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

void InstanceContext::notifyCertChanged() {
    std::function<void()> handler;
    {
        std::lock_guard<std::mutex> lock(_handlerMutex);
        handler = _certChanged;
    }
    // Called without the lock: the handler calls current(), which may make
    // the plugin call cert_changed again.
    if (!handler) return;
    try {
        handler();
    } catch (const std::exception& e) {
        _logger.error("%s: certificate change handler failed: %s", label(), std::string(e.what()));
    } catch (...) {
        _logger.error("%s: certificate change handler failed", label());
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
}

bool InstanceContext::closed() const {
    std::lock_guard<std::mutex> lock(_lifecycleMutex);
    return _closed;
}

}  // namespace rportd::plugin_host
