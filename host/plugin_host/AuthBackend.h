#pragma once
// One live credential store (kind client-auth or api-auth) as the rest of
// rportd sees it: C++ values in and out, no C structs, calls serialised unless
// the plugin declared the backend RPORT_BACKEND_THREADSAFE.
#include <memory>
#include <optional>
#include <rport/consumer.hpp>
#include <rport/types.hpp>
#include <string>
#include <string_view>

#include "plugin_host/BackendBinding.h"
#include "plugin_host/SecretCheck.h"
#include "plugin_host/Settings.h"

namespace rportd::plugin_host {

class PluginRegistry;

class AuthBackend {
public:
    // Creates an instance of the backend kind/name with its settings. kind is
    // RPORT_KIND_CLIENT_AUTH or RPORT_KIND_API_AUTH (std::invalid_argument
    // otherwise). Throws BackendError when the backend is not loaded or its
    // create() fails; the message names kind, backend and the plugin's reason.
    AuthBackend(PluginRegistry& registry, std::string_view kind, std::string_view name,
                Settings settings);
    // Cancels the instance's timers, then calls the plugin's destroy().
    ~AuthBackend();
    AuthBackend(const AuthBackend&) = delete;
    AuthBackend& operator=(const AuthBackend&) = delete;

    const std::string& kind() const noexcept { return _binding.info().kind; }
    const std::string& name() const noexcept { return _binding.info().name; }
    const std::string& pluginName() const noexcept { return _binding.info().pluginName(); }
    bool threadSafe() const noexcept { return _binding.info().threadSafe(); }

    // RPORT_E_NOT_FOUND when there is no such id.
    rport::sdk::CallResult get(std::string_view id, std::optional<rport::sdk::AuthRecord>& record);
    bool canList() const noexcept { return _client->offersList(); }
    rport::sdk::CallResult list(const rport::sdk::ListQuery& query, rport::sdk::ListPage& page);
    rport::sdk::CallResult add(const rport::sdk::AuthRecord& record);
    rport::sdk::CallResult remove(std::string_view id);
    bool writable();
    bool offersVerify() const noexcept { return _client->offersVerify(); }

    // Checks secret for id: through the backend's verify() when it offers
    // one, otherwise by reading the record with get() and comparing here
    // (see checkSecret). Never throws.
    VerifyResult verifySecret(std::string_view id, std::string_view secret);

private:
    BackendBinding _binding;
    std::unique_ptr<rport::sdk::AuthClient> _client;
};

}  // namespace rportd::plugin_host
