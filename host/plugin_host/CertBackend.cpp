#include "plugin_host/CertBackend.h"

#include "plugin_host/BackendError.h"

namespace rportd::plugin_host {

namespace sdk = rport::sdk;

CertBackend::CertBackend(PluginRegistry& registry, std::string_view name, Settings settings)
    : _binding(registry, RPORT_KIND_CERT_PROVIDER, std::string(name), std::move(settings)) {
    sdk::CallResult why;
    _client = sdk::CertClient::create(static_cast<const rport_cert_v1*>(_binding.info().vtable),
                                      _binding.context().handle(), why);
    if (!_client) throw BackendError(_binding.describe() + ": create failed: " + why.message);
}

CertBackend::~CertBackend() {
    _binding.close();
    _client.reset();
}

sdk::CallResult CertBackend::current(std::optional<sdk::CertBundle>& bundle) {
    bundle.reset();
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->current(bundle);
    _binding.reportFailure("current", result);
    return result;
}

sdk::CallResult CertBackend::renewNow() {
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->renewNow();
    _binding.reportFailure("renew_now", result);
    return result;
}

std::pair<std::string, int64_t> CertBackend::lastLoggedError() const {
    return const_cast<BackendBinding&>(_binding).context().lastError();
}

std::vector<sdk::ProviderStatus> CertBackend::providerStatuses() const {
    return const_cast<BackendBinding&>(_binding).context().statuses();
}

void CertBackend::onCertChanged(std::function<void()> handler) {
    _binding.context().setCertChangedHandler(std::move(handler));
}

}  // namespace rportd::plugin_host
