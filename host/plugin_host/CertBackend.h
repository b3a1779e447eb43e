#pragma once
// One live certificate provider (kind cert-provider) as the TLS layer sees it.
// The provider renews on its own schedule and says so through cert_changed;
// the host's handler then calls current() and swaps its TLS context.
#include <functional>
#include <memory>
#include <optional>
#include <rport/consumer.hpp>
#include <rport/types.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_host/BackendBinding.h"
#include "plugin_host/Settings.h"

namespace rportd::plugin_host {

class PluginRegistry;

class CertBackend {
public:
    // Throws BackendError when the provider is not loaded or create() fails.
    CertBackend(PluginRegistry& registry, std::string_view name, Settings settings);
    // Drops the handler, cancels the instance's timers, then calls destroy().
    ~CertBackend();
    CertBackend(const CertBackend&) = delete;
    CertBackend& operator=(const CertBackend&) = delete;

    const std::string& name() const noexcept { return _binding.info().name; }
    const std::string& pluginName() const noexcept { return _binding.info().pluginName(); }

    // The certificate in force; RPORT_E_UNAVAILABLE while there is none yet.
    rport::sdk::CallResult current(std::optional<rport::sdk::CertBundle>& bundle);
    bool canRenew() const noexcept { return _client->offersRenew(); }
    // Asks for a renewal now; the result arrives later through the handler.
    rport::sdk::CallResult renewNow();

    // Called on the plugin's thread (or inside renewNow()) each time the
    // provider reports a new certificate. Notices that arrive before a handler
    // is set are dropped: read current() once after construction.
    void onCertChanged(std::function<void()> handler);

    // The provider's last error-level log line and its time (Unix seconds; 0: none).
    std::pair<std::string, int64_t> lastLoggedError() const;

    // What the provider last reported through status_report (ABI 1.1), one
    // entry per name, sorted by name; empty for a provider that never
    // reports. Strings are the plugin's own text, bounded but not escaped.
    std::vector<rport::sdk::ProviderStatus> providerStatuses() const;

private:
    BackendBinding _binding;
    std::unique_ptr<rport::sdk::CertClient> _client;
};

}  // namespace rportd::plugin_host
