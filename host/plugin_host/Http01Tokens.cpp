#include "plugin_host/Http01Tokens.h"

namespace rportd::plugin_host {

namespace {

constexpr size_t kMaxTokenLength = 256;
constexpr size_t kMaxKeyAuthorizationLength = 512;

bool isBase64Url(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

bool Http01Tokens::isValidToken(std::string_view token) noexcept {
    if (token.empty() || token.size() > kMaxTokenLength) return false;
    for (char c : token)
        if (!isBase64Url(c)) return false;
    return true;
}

bool Http01Tokens::isValidKeyAuthorization(std::string_view keyAuthorization) noexcept {
    if (keyAuthorization.empty() || keyAuthorization.size() > kMaxKeyAuthorizationLength)
        return false;
    for (char c : keyAuthorization)
        if (!isBase64Url(c) && c != '.') return false;
    return true;
}

bool Http01Tokens::publish(std::string_view token, std::string_view keyAuthorization,
                           const void* owner) {
    if (!isValidToken(token) || !isValidKeyAuthorization(keyAuthorization)) return false;
    std::lock_guard<std::mutex> lock(_mutex);
    _tokens[std::string(token)] = Entry{std::string(keyAuthorization), owner};
    return true;
}

bool Http01Tokens::withdraw(std::string_view token) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _tokens.find(token);
    if (it == _tokens.end()) return false;
    _tokens.erase(it);
    return true;
}

void Http01Tokens::withdrawAll(const void* owner) {
    std::lock_guard<std::mutex> lock(_mutex);
    for (auto it = _tokens.begin(); it != _tokens.end();)
        it = it->second.owner == owner ? _tokens.erase(it) : std::next(it);
}

std::optional<std::string> Http01Tokens::find(std::string_view token) const {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _tokens.find(token);
    if (it == _tokens.end()) return std::nullopt;
    return it->second.keyAuthorization;
}

size_t Http01Tokens::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _tokens.size();
}

}  // namespace rportd::plugin_host
