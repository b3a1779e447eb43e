#include "plugin_host/AuthBackend.h"

#include <Poco/Logger.h>

#include <stdexcept>

#include "plugin_host/BackendError.h"

namespace rportd::plugin_host {

namespace sdk = rport::sdk;

namespace {

const std::string& checkedKind(std::string_view kind) {
    static const std::string clientAuth = RPORT_KIND_CLIENT_AUTH;
    static const std::string apiAuth = RPORT_KIND_API_AUTH;
    if (kind == clientAuth) return clientAuth;
    if (kind == apiAuth) return apiAuth;
    throw std::invalid_argument("AuthBackend cannot serve kind \"" + std::string(kind) + "\"");
}

}  // namespace

AuthBackend::AuthBackend(PluginRegistry& registry, std::string_view kind, std::string_view name,
                         Settings settings)
    : _binding(registry, checkedKind(kind), std::string(name), std::move(settings)) {
    sdk::CallResult why;
    _client = sdk::AuthClient::create(static_cast<const rport_auth_v1*>(_binding.info().vtable),
                                      _binding.context().handle(), why);
    if (!_client) throw BackendError(_binding.describe() + ": create failed: " + why.message);
}

AuthBackend::~AuthBackend() {
    _binding.close();
    _client.reset();  // destroy() runs here, with no host thread left calling in
}

sdk::CallResult AuthBackend::get(std::string_view id, std::optional<sdk::AuthRecord>& record) {
    record.reset();
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->get(id, record);
    _binding.reportFailure("get", result);
    return result;
}

sdk::CallResult AuthBackend::list(const sdk::ListQuery& query, sdk::ListPage& page) {
    page = sdk::ListPage{};
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->list(query, page);
    _binding.reportFailure("list", result);
    return result;
}

sdk::CallResult AuthBackend::add(const sdk::AuthRecord& record) {
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->add(record);
    _binding.reportFailure("add", result);
    return result;
}

sdk::CallResult AuthBackend::remove(std::string_view id) {
    auto call = _binding.enter();
    if (!call.open()) return BackendBinding::closedResult();
    sdk::CallResult result = _client->remove(id);
    _binding.reportFailure("remove", result);
    return result;
}

bool AuthBackend::writable() {
    auto call = _binding.enter();
    return call.open() && _client->writable();
}

VerifyResult AuthBackend::verifySecret(std::string_view id, std::string_view secret) {
    try {
        if (_client->offersVerify()) {
            sdk::CallResult result;
            {
                auto call = _binding.enter();
                if (!call.open()) return VerifyResult::Unavailable;
                result = _client->verify(id, secret);
            }
            switch (result.code) {
                case RPORT_OK:
                    return VerifyResult::Match;
                case RPORT_E_DENIED:
                    return VerifyResult::Mismatch;
                case RPORT_E_NOT_FOUND:
                    return VerifyResult::UnknownId;
                case RPORT_E_UNAVAILABLE:
                    _binding.reportFailure("verify", result);
                    return VerifyResult::Unavailable;
                case RPORT_E_UNSUPPORTED:
                    break;  // verify declined this one: compare it here instead
                default:
                    _binding.reportFailure("verify", result);
                    return VerifyResult::Error;
            }
        }

        std::optional<sdk::AuthRecord> record;
        sdk::CallResult result = get(id, record);
        if (result.code == RPORT_E_NOT_FOUND) return VerifyResult::UnknownId;
        if (result.code == RPORT_E_UNAVAILABLE) return VerifyResult::Unavailable;
        if (!result.ok() || !record) return VerifyResult::Error;

        std::string why;
        VerifyResult verdict = checkSecret(*record, secret, &why);
        if (verdict == VerifyResult::Error)
            _binding.context().logger().error(_binding.context().label() +
                                              ": cannot check a secret: " + why);
        return verdict;
    } catch (const std::exception& e) {
        _binding.context().logger().error(_binding.context().label() +
                                          ": verify failed: " + e.what());
        return VerifyResult::Error;
    }
}

}  // namespace rportd::plugin_host
