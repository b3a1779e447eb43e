#pragma once
// A private key in memory: made fresh (P-256 or RSA 2048) or read from PEM,
// written as unencrypted PKCS#8 PEM. Shared by copies; immutable.
#include <memory>
#include <rport/secret.hpp>
#include <string>
#include <string_view>

#include "OpenSsl.h"

namespace rport::plugins::acme {

enum class KeyType { EcdsaP256, Rsa2048 };

// "ecdsa" (P-256) or "rsa" (RSA 2048): the words of the key_type setting.
const char* keyTypeName(KeyType type);

class PrivateKey {
public:
    static PrivateKey generate(KeyType type);
    // Throws CryptoError when the text holds no unencrypted private key.
    static PrivateKey fromPem(std::string_view pem);

    rport::sdk::SecretString pem() const;
    KeyType type() const;  // throws CryptoError for other kinds of keys
    bool isEcdsaP256() const;
    EVP_PKEY* get() const noexcept { return _key.get(); }

private:
    explicit PrivateKey(std::shared_ptr<EVP_PKEY> key) : _key(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> _key;
};

}  // namespace rport::plugins::acme
