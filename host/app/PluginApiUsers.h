#pragma once
// API users from the selected api-auth plugin.
#include "api/ApiUsers.h"
#include "plugin_host/AuthBackend.h"

namespace rportd::app {

class PluginApiUsers : public api::ApiUserDirectory {
public:
    explicit PluginApiUsers(plugin_host::AuthBackend& backend) : _backend(backend) {}
    Result authenticate(std::string_view username, std::string_view password, api::ApiUser& user) override;

private:
    plugin_host::AuthBackend& _backend;
};

}  // namespace rportd::app
