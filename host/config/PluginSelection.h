#pragma once
// Which plugin fills each role. A role is chosen either explicitly in
// [plugins] (settings from [plugin.NAME]) or implicitly by the classic keys of
// the original server (e.g. `[server] auth_file` selects the "file" plugin).
#include <optional>
#include <string>
#include <string_view>

#include "config/Config.h"

namespace rportd::config {

enum class PluginRole { ClientAuth, ApiAuth, ApiCert, TunnelCert, ClientCert };

inline constexpr PluginRole kAllPluginRoles[] = {PluginRole::ClientAuth, PluginRole::ApiAuth,
                                                 PluginRole::ApiCert, PluginRole::TunnelCert,
                                                 PluginRole::ClientCert};

// "client_auth", "api_auth", "api_cert", "tunnel_cert", "client_cert": the keys of [plugins].
std::string_view roleName(PluginRole role);
std::optional<PluginRole> roleFromName(std::string_view name);

std::optional<PluginSelection>& selectionSlot(PluginsConfig& plugins, PluginRole role);
const std::optional<PluginSelection>& selectionSlot(const PluginsConfig& plugins, PluginRole role);

// Non-empty and only letters, digits, '.', '_' and '-'.
bool isValidPluginName(std::string_view name);

// True when the selection came from [plugins] rather than from classic keys.
bool isExplicitSelection(const PluginSelection& selection);

// The value of one setting, or nullopt.
std::optional<std::string> findSetting(const PluginSelection& selection, std::string_view key);

// What the classic keys select for a role, or nullopt when none of them is set.
std::optional<PluginSelection> classicSelection(const Config& config, PluginRole role);

// Makes the role's slot final: keeps an explicit choice (error if classic keys
// select too: "'[plugins] X' and '[section] key' are both set: expected only
// one of them"), else stores the classic selection (or nothing).
void resolvePluginRole(Config& config, PluginRole role);

}  // namespace rportd::config
