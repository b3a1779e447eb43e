#pragma once
// The ACME HTTP-01 challenges currently published by cert-provider plugins:
// token -> key authorization. Plugins fill it through http01_publish/withdraw;
// the host's challenge listener answers /.well-known/acme-challenge/<token>
// from it. Thread-safe.
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rportd::plugin_host {

class Http01Tokens {
public:
    // A token is 1..256 base64url characters (RFC 8555 8.3 asks for at least
    // 128 bits of base64url); anything else could smuggle a path or a header.
    static bool isValidToken(std::string_view token) noexcept;
    // "<token>.<base64url thumbprint>": base64url characters and dots only,
    // at most 512 of them, because it becomes an HTTP response body.
    static bool isValidKeyAuthorization(std::string_view keyAuthorization) noexcept;

    // False (and nothing stored) when either argument is malformed. A token
    // published again replaces the previous key authorization. owner lets
    // withdrawAll() clean up after an instance that goes away.
    bool publish(std::string_view token, std::string_view keyAuthorization,
                 const void* owner = nullptr);
    // False when the token is not published.
    bool withdraw(std::string_view token);
    // Removes every token published by owner.
    void withdrawAll(const void* owner);

    std::optional<std::string> find(std::string_view token) const;
    size_t size() const;

private:
    struct Entry {
        std::string keyAuthorization;
        const void* owner;
    };
    mutable std::mutex _mutex;
    std::map<std::string, Entry, std::less<>> _tokens;
};

}  // namespace rportd::plugin_host
