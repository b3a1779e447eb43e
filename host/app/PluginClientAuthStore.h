#pragma once
// The API's client credential store, backed by the selected client-auth
// plugin (whichever instance is current: SIGHUP may replace it).
#include "api/ClientAuthStore.h"
#include "app/BackendSlot.h"
#include "plugin_host/AuthBackend.h"

namespace rportd::app {

class PluginClientAuthStore : public api::ClientAuthStore {
public:
    explicit PluginClientAuthStore(const BackendSlot<plugin_host::AuthBackend>& slot) : _slot(slot) {}

    rport::sdk::CallResult get(std::string_view id, std::optional<rport::sdk::AuthRecord>& record) override {
        return _slot.get()->get(id, record);
    }
    rport::sdk::CallResult list(const rport::sdk::ListQuery& query, rport::sdk::ListPage& page) override {
        return _slot.get()->list(query, page);
    }
    rport::sdk::CallResult add(const rport::sdk::AuthRecord& record) override { return _slot.get()->add(record); }
    rport::sdk::CallResult remove(std::string_view id) override { return _slot.get()->remove(id); }
    bool writable() override { return _slot.get()->writable(); }

private:
    const BackendSlot<plugin_host::AuthBackend>& _slot;
};

}  // namespace rportd::app
