#include "PrivateKey.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <cstring>

namespace rport::plugins::acme {

const char* keyTypeName(KeyType type) { return type == KeyType::EcdsaP256 ? "ecdsa" : "rsa"; }

PrivateKey PrivateKey::generate(KeyType type) {
    EVP_PKEY* key = type == KeyType::EcdsaP256
                        ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    if (!key) throwOpenSsl(std::string("cannot generate a ") + keyTypeName(type) + " key");
    return PrivateKey(std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free));
}

PrivateKey PrivateKey::fromPem(std::string_view pem) {
    Bio bio = readBio(pem);
    // An empty passphrase callback: an encrypted key fails instead of prompting.
    EVP_PKEY* key = PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
    if (!key) throwOpenSsl("not an unencrypted PEM private key");
    return PrivateKey(std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free));
}

rport::sdk::SecretString PrivateKey::pem() const {
    // OpenSSL wipes a memory BIO's buffer when it frees or grows it.
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), _key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throwOpenSsl("cannot write the private key as PEM");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 && data ? rport::sdk::SecretString(std::string_view(data, static_cast<size_t>(n)))
                         : rport::sdk::SecretString();
}

bool PrivateKey::isEcdsaP256() const {
    if (!EVP_PKEY_is_a(_key.get(), "EC")) return false;
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(_key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) != 1)
        return false;
    return std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0;
}

KeyType PrivateKey::type() const {
    if (isEcdsaP256()) return KeyType::EcdsaP256;
    if (EVP_PKEY_is_a(_key.get(), "RSA")) return KeyType::Rsa2048;
    throw CryptoError("the key is neither ECDSA P-256 nor RSA");
}

}  // namespace rport::plugins::acme
