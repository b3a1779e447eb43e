#pragma once
// The part every adapter shares: the backend found in the registry (which
// keeps its plugin image mapped), the instance context, and the lock that
// serialises calls into instances not flagged RPORT_BACKEND_THREADSAFE.
#include <atomic>
#include <memory>
#include <mutex>
#include <rport/consumer.hpp>
#include <string>

#include "plugin_host/InstanceContext.h"
#include "plugin_host/PluginRegistry.h"
#include "plugin_host/Settings.h"

namespace rportd::plugin_host {

class BackendBinding {
public:
    // Throws BackendError when registry has no backend of that kind and name.
    BackendBinding(PluginRegistry& registry, const std::string& kind, const std::string& name,
                   Settings settings);
    ~BackendBinding();
    BackendBinding(const BackendBinding&) = delete;
    BackendBinding& operator=(const BackendBinding&) = delete;

    const BackendInfo& info() const noexcept { return *_info; }
    InstanceContext& context() noexcept { return *_context; }
    // `client-auth plugin "file"`: how errors about this instance begin.
    std::string describe() const;

    // Held for the length of one call into the plugin. The lock is recursive
    // because a plugin may legitimately re-enter on the same thread (renew_now
    // -> cert_changed -> the host's handler -> current()).
    class Call {
    public:
        // False once the instance is closing: do not call the plugin.
        bool open() const noexcept { return _open; }

    private:
        friend class BackendBinding;
        Call(std::unique_lock<std::recursive_mutex> lock, bool open)
            : _lock(std::move(lock)), _open(open) {}
        std::unique_lock<std::recursive_mutex> _lock;
        bool _open;
    };
    Call enter();
    // What a call answers once the instance is closing.
    static rport::sdk::CallResult closedResult();

    // The first step of tearing an instance down, before destroy(): drops the
    // cert_changed handler, waits for a serialised call in progress, refuses
    // new calls, cancels the instance's timers and withdraws its tokens.
    void close();

    // Logs the plugin's message for failures an operator should see
    // (internal errors, unavailable backends) under "plugin.<name>".
    void reportFailure(const char* operation, const rport::sdk::CallResult& result) const;

private:
    std::shared_ptr<const BackendInfo> _info;
    std::unique_ptr<InstanceContext> _context;
    std::recursive_mutex _callMutex;
    std::atomic<bool> _closing{false};
};

}  // namespace rportd::plugin_host
