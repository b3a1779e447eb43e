#include "config/DeprecatedKeys.h"

namespace rportd::config {
namespace {

std::string warningFor(const KeyLabel& label, const std::string& text) {
    return positionPrefix(label.where) + label.text + ": " + text;
}

std::string renamed(const std::string& successor, bool applied) {
    return "deprecated, use '" + successor + "' instead" +
           (applied ? " (its value was applied to '" + successor + "')" : "");
}

// Errors about the new key then point at the old key that set it.
void pointAt(Config& config, const std::string& newKey, const KeyLabel& oldKey) {
    config.source.key_lines[newKey] = oldKey.where.line;
}

}  // namespace

void DeprecatedKeys::decode(std::string_view name, const toml::node& value, const KeyLabel& label) {
    if (name == "cleanup_lost_clients") {
        _cleanupLostClients.emplace();
        decodeInto(value, label, _cleanupLostClients->value);
        _cleanupLostClients->label = label;
    } else if (name == "keep_lost_clients") {
        _keepLostClients.emplace();
        decodeInto(value, label, _keepLostClients->value);
        _keepLostClients->label = label;
    } else if (name == "cleanup_clients_interval") {
        _cleanupClientsInterval.emplace();
        decodeInto(value, label, _cleanupClientsInterval->value);
        _cleanupClientsInterval->label = label;
    } else if (name == "max_request_bytes") {
        _maxRequestBytes.emplace();
        decodeInto(value, label, _maxRequestBytes->value);
        _maxRequestBytes->label = label;
    } else if (name == "max_filepush_size") {
        _maxFilepushSize = label;  // not supported, so its value does not matter
    } else if (name == "enable_ws_test_endpoints") {
        _enableWsTestEndpoints = label;
    }
}

void DeprecatedKeys::applyTo(Config& config, std::vector<std::string>& warnings) const {
    // Like the original, only a non-zero old value overrides the new key.
    if (_cleanupLostClients) {
        const bool applied = _cleanupLostClients->value;
        if (applied) {
            config.server.purge_disconnected_clients = true;
            pointAt(config, "server.purge_disconnected_clients", _cleanupLostClients->label);
        }
        warnings.push_back(
            warningFor(_cleanupLostClients->label, renamed("purge_disconnected_clients", applied)));
    }
    if (_keepLostClients) {
        const bool applied = _keepLostClients->value.count() != 0;
        if (applied) {
            config.server.keep_disconnected_clients = _keepLostClients->value;
            pointAt(config, "server.keep_disconnected_clients", _keepLostClients->label);
        }
        warnings.push_back(
            warningFor(_keepLostClients->label, renamed("keep_disconnected_clients", applied)));
    }
    if (_cleanupClientsInterval) {
        const bool applied = _cleanupClientsInterval->value.count() != 0;
        if (applied) {
            config.server.purge_disconnected_clients_interval = _cleanupClientsInterval->value;
            pointAt(config, "server.purge_disconnected_clients_interval",
                    _cleanupClientsInterval->label);
        }
        warnings.push_back(warningFor(_cleanupClientsInterval->label,
                                      renamed("purge_disconnected_clients_interval", applied)));
    }
    if (_maxRequestBytes) {
        const bool applied = _maxRequestBytes->value > 0;
        if (applied) {
            config.api.max_request_bytes = _maxRequestBytes->value;
            pointAt(config, "api.max_request_bytes", _maxRequestBytes->label);
        }
        warnings.push_back(
            warningFor(_maxRequestBytes->label, renamed("[api] max_request_bytes", applied)));
    }
    if (_maxFilepushSize)
        warnings.push_back(
            warningFor(*_maxFilepushSize,
                       "deprecated, belongs in [api]; not supported by this rportd yet, ignored"));
    if (_enableWsTestEndpoints)
        warnings.push_back(
            warningFor(*_enableWsTestEndpoints,
                       "deprecated, belongs in [api]; not supported by this rportd yet, ignored"));
}

}  // namespace rportd::config
