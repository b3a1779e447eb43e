#include "plugin_host/BackendBinding.h"

#include <Poco/Logger.h>

#include "plugin_host/BackendError.h"
#include "plugin_host/HostServices.h"

namespace rportd::plugin_host {

namespace {

std::shared_ptr<const BackendInfo> resolve(PluginRegistry& registry, const std::string& kind,
                                           const std::string& name) {
    std::shared_ptr<const BackendInfo> info = registry.find(kind, name);
    if (info) return info;
    std::string available;
    for (const std::string& n : registry.names(kind))
        available += (available.empty() ? "" : ", ") + n;
    throw BackendError(
        kind + " plugin \"" + name + "\" is not loaded (" +
        (available.empty() ? "no " + kind + " plugins are loaded" : "loaded: " + available) + ")");
}

}  // namespace

BackendBinding::BackendBinding(PluginRegistry& registry, const std::string& kind,
                               const std::string& name, Settings settings)
    : _info(resolve(registry, kind, name)),
      _context(registry.services().makeContext(
          InstanceIdentity{_info->pluginName(), _info->file(), _info->kind, _info->name},
          std::move(settings))) {}

BackendBinding::~BackendBinding() { close(); }

std::string BackendBinding::describe() const {
    return _info->kind + " plugin \"" + _info->name + "\"";
}

BackendBinding::Call BackendBinding::enter() {
    std::unique_lock<std::recursive_mutex> lock(_callMutex, std::defer_lock);
    if (!_info->threadSafe()) lock.lock();
    return Call(std::move(lock), !_closing.load());
}

rport::sdk::CallResult BackendBinding::closedResult() {
    return {RPORT_E_UNAVAILABLE, "the backend is shutting down"};
}

void BackendBinding::close() {
    _context->setCertChangedHandler(nullptr);
    {
        // For a serialised backend this waits for the call in progress; every
        // later enter() sees the instance closing and stays out of the plugin.
        std::lock_guard<std::recursive_mutex> lock(_callMutex);
        _closing = true;
    }
    _context->close();
}

void BackendBinding::reportFailure(const char* operation,
                                   const rport::sdk::CallResult& result) const {
    if (result.code != RPORT_E_INTERNAL && result.code != RPORT_E_UNAVAILABLE) return;
    Poco::Logger& logger = _context->logger();
    const std::string line = _context->label() + ": " + operation + " failed: " + result.message;
    if (result.code == RPORT_E_INTERNAL)
        logger.error(line);
    else
        logger.warning(line);
}

}  // namespace rportd::plugin_host
