#pragma once
// The API's client credential store, backed by the selected client-auth plugin.
#include "api/ClientAuthStore.h"
#include "plugin_host/AuthBackend.h"

namespace rportd::app {

class PluginClientAuthStore : public api::ClientAuthStore {
public:
    explicit PluginClientAuthStore(plugin_host::AuthBackend& backend) : _backend(backend) {}

    rport::sdk::CallResult get(std::string_view id, std::optional<rport::sdk::AuthRecord>& record) override {
        return _backend.get(id, record);
    }
    rport::sdk::CallResult list(const rport::sdk::ListQuery& query, rport::sdk::ListPage& page) override {
        return _backend.list(query, page);
    }
    rport::sdk::CallResult add(const rport::sdk::AuthRecord& record) override { return _backend.add(record); }
    rport::sdk::CallResult remove(std::string_view id) override { return _backend.remove(id); }
    bool writable() override { return _backend.writable(); }

private:
    plugin_host::AuthBackend& _backend;
};

}  // namespace rportd::app
