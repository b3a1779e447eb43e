// The [acme] section and the setups the built-in ACME client cannot work
// in, refused while reading the configuration (so also by --check-config),
// word for word, behind the "file:line: " of the key at fault.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include "ConfigTestSupport.h"
#include "TempDir.h"

namespace rportd::config::test {
namespace {

// Line by line, so that messages can be checked with their line numbers:
//  1 [server]
//  2 auth = "client1:secret"
//  3 data_dir = "<dir>"
//  4.. `server` (one key a line)
//  then [api] with `api` (when non-empty), then [acme] with `acme`.
std::string configText(const std::string& dataDir, const std::string& server,
                       const std::string& api, const std::string& acme) {
    std::string text =
        "[server]\nauth = \"client1:secret\"\ndata_dir = \"" + dataDir + "\"\n" + server;
    if (!api.empty()) text += "[api]\n" + api;
    if (!acme.empty()) text += "[acme]\n" + acme;
    return text;
}

// The API with an ACME certificate on port 3000, answering HTTP-01 on 80:
// lines 5..9; [acme] keys start on line 11.
const std::string kHttp01Port = "acme_http_port = 80\n";
const std::string kAcmeApi =
    "address = \"0.0.0.0:3000\"\nauth = \"admin:pw\"\nbase_url = \"https://rport.example.com\"\n"
    "enable_acme = true\n";

}  // namespace

class AcmeChecksTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeChecksTest);
    CPPUNIT_TEST(everyKeyIsRead);
    CPPUNIT_TEST(weakTypingAppliesToAcmeKeys);
    CPPUNIT_TEST(directoryUrlMustBeHttps);
    CPPUNIT_TEST(emailShape);
    CPPUNIT_TEST(caBundleMustBeAReadablePemFile);
    CPPUNIT_TEST(externalAccountBindingNeedsBothParts);
    CPPUNIT_TEST(eabHmacKeyMustBeBase64Url);
    CPPUNIT_TEST(unknownChallenge);
    CPPUNIT_TEST(declaredHttp01NeedsTheChallengeListener);
    CPPUNIT_TEST(declaredTlsAlpn01NeedsTheApiWithTls);
    CPPUNIT_TEST(retryWaits);
    CPPUNIT_TEST(keyType);
    CPPUNIT_TEST(apiAcmeWithoutReachableChallenge);
    CPPUNIT_TEST(tunnelAcmeWithoutReachableChallenge);
    CPPUNIT_TEST(reachableChallengesAreAccepted);
    CPPUNIT_TEST(stateDirectoryMustBeUsable);
    CPPUNIT_TEST(unusedAcmeSectionWarnsAndIsNotChecked);
    CPPUNIT_TEST(checkConfigReadsTheSameRefusalsFromAFile);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<rport::test::TempDir> data;

    // The API ACME setup with `acme` as the [acme] section (line 11 on).
    std::string apiAcme(const std::string& acme) {
        return configText(data->path(), kHttp01Port, kAcmeApi, acme);
    }

public:
    void setUp() override { data = std::make_unique<rport::test::TempDir>(); }
    void tearDown() override { data.reset(); }

    void everyKeyIsRead() {
        const std::string bundle =
            data->write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        const Config c = loadText(
            apiAcme("directory_url = \"https://acme-staging-v02.api.letsencrypt.org/directory\"\n"
                    "email = \"admin@example.com\"\n"
                    "ca_bundle = \"" +
                    bundle +
                    "\"\n"
                    "eab_kid = \"kid-1\"\n"
                    "eab_hmac_key = \"c2VjcmV0LWtleS1mb3ItdGVzdHM_-w\"\n"
                    "challenges = [\"http-01\", \"tls-alpn-01\"]\n"
                    "retry_min = \"30s\"\n"
                    "retry_max = \"12h\"\n"
                    "key_type = \"rsa\"\n"));
        const auto& a = c.acme;
        CPPUNIT_ASSERT_EQUAL(std::string(kLetsEncryptStagingDirectoryUrl), a.directory_url);
        CPPUNIT_ASSERT_EQUAL(std::string("admin@example.com"), a.email);
        CPPUNIT_ASSERT_EQUAL(bundle, a.ca_bundle);
        CPPUNIT_ASSERT_EQUAL(std::string("kid-1"), a.eab_kid);
        CPPUNIT_ASSERT_EQUAL(std::string("c2VjcmV0LWtleS1mb3ItdGVzdHM_-w"), a.eab_hmac_key);
        CPPUNIT_ASSERT(a.challenges == (std::vector<std::string>{"http-01", "tls-alpn-01"}));
        CPPUNIT_ASSERT(a.retry_min.value == std::chrono::seconds(30));
        CPPUNIT_ASSERT_EQUAL(std::string("30s"), a.retry_min.text);
        CPPUNIT_ASSERT(a.retry_max.value == std::chrono::hours(12));
        CPPUNIT_ASSERT_EQUAL(std::string("12h"), a.retry_max.text);
        CPPUNIT_ASSERT_EQUAL(std::string("rsa"), a.key_type);
        CPPUNIT_ASSERT_EQUAL(11, c.source.key_lines.at("acme.directory_url"));
    }

    void weakTypingAppliesToAcmeKeys() {
        // A list as one string, a duration as nanoseconds, key names in any case.
        const Config c =
            loadText(apiAcme("Challenges = \"HTTP-01, tls-alpn-01\"\n"
                             "retry_min = 60000000000\n"));
        CPPUNIT_ASSERT(c.acme.challenges == (std::vector<std::string>{"HTTP-01", "tls-alpn-01"}));
        CPPUNIT_ASSERT(c.acme.retry_min.value == std::chrono::minutes(1));
        CPPUNIT_ASSERT_EQUAL(std::string("1m0s"), c.acme.retry_min.text);
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] retry_max: unknown unit \"d\" in duration "
                        "\"2d\" (expected e.g. \"90s\", \"5m\" or \"1h30m\")"),
            loadError(apiAcme("retry_max = \"2d\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] email: expected a string, got an array"),
            loadError(apiAcme("email = [\"a@b.example\"]\n")));
    }

    void directoryUrlMustBeHttps() {
        const std::string suffix =
            " (Let's Encrypt: https://acme-v02.api.letsencrypt.org/directory, its staging: "
            "https://acme-staging-v02.api.letsencrypt.org/directory)";
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:11: [acme] directory_url: must be an https URL, got "
            "\"http://ca.internal/directory\"" +
                suffix,
            loadError(apiAcme("directory_url = \"http://ca.internal/directory\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:11: [acme] directory_url: must be an https URL, got \"\"" + suffix,
            loadError(apiAcme("directory_url = \"\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:11: [acme] directory_url: must be an https URL, got \"https:///dir\"" +
                suffix,
            loadError(apiAcme("directory_url = \"https:///dir\"\n")));
        loadText(apiAcme("directory_url = \"https://ca.internal:14000/dir\"\n"));
    }

    void emailShape() {
        for (const std::string bad :
             {"admin", "@example.com", "admin@", "a@b@example.com", "admin@localhost",
              "ad min@example.com", "<admin@example.com>", "admin@exa mple.com"}) {
            CPPUNIT_ASSERT_EQUAL(
                "rportd.conf:11: [acme] email: \"" + bad +
                    "\" is not an e-mail address (expected e.g. admin@example.com)",
                loadError(apiAcme("email = \"" + bad + "\"\n")));
        }
        loadText(apiAcme("email = \"first.last+rport@mail.example.com\"\n"));
    }

    void caBundleMustBeAReadablePemFile() {
        const std::string missing = data->file("missing.pem");
        CPPUNIT_ASSERT_EQUAL("rportd.conf:11: [acme] ca_bundle: cannot read " + missing +
                                 ": No such file or directory",
                             loadError(apiAcme("ca_bundle = \"" + missing + "\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:11: [acme] ca_bundle: " + data->path() + " is not a regular file",
            loadError(apiAcme("ca_bundle = \"" + data->path() + "\"\n")));
        const std::string text = data->write("notes.txt", "not a certificate\n");
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:11: [acme] ca_bundle: " + text + " holds no PEM certificate",
            loadError(apiAcme("ca_bundle = \"" + text + "\"\n")));
        const std::string bundle = data->write(
            "ca.pem",
            "# private CA\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        loadText(apiAcme("ca_bundle = \"" + bundle + "\"\n"));
    }

    void externalAccountBindingNeedsBothParts() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:11: [acme] eab_kid: when 'eab_kid' is set, 'eab_hmac_key' must be "
                "set as well"),
            loadError(apiAcme("eab_kid = \"kid-1\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:11: [acme] eab_hmac_key: when 'eab_hmac_key' is set, 'eab_kid' must "
                "be set as well"),
            loadError(apiAcme("eab_hmac_key = \"c2VjcmV0\"\n")));
    }

    void eabHmacKeyMustBeBase64Url() {
        const std::string message =
            "rportd.conf:12: [acme] eab_hmac_key: not a base64url key (letters, digits, '-' and "
            "'_'): "
            "copy the HMAC key exactly as the CA shows it";
        // Standard base64, blanks, a length no encoding produces, padding beyond two.
        for (const std::string bad : {"c2Vj+cmV0/w", "c2Vj cmV0", "c2VjcmV0a", "c2Vj===", "==="}) {
            const std::string error =
                loadError(apiAcme("eab_kid = \"kid-1\"\neab_hmac_key = \"" + bad + "\"\n"));
            CPPUNIT_ASSERT_EQUAL(message, error);
            // A secret is described, never repeated.
            CPPUNIT_ASSERT(error.find(bad) == std::string::npos);
        }
        loadText(apiAcme("eab_kid = \"kid-1\"\neab_hmac_key = \"c2VjcmV0LWtleQ\"\n"));
        loadText(apiAcme("eab_kid = \"kid-1\"\neab_hmac_key = \"c2VjcmV0LWtleQ==\"\n"));
    }

    void unknownChallenge() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] challenges: unknown challenge \"dns-01\": expected "
                        "\"http-01\" or \"tls-alpn-01\""),
            loadError(apiAcme("challenges = [\"http-01\", \"dns-01\"]\n")));
    }

    void declaredHttp01NeedsTheChallengeListener() {
        // API on 443, so TLS-ALPN-01 alone would do; declaring HTTP-01 without its listener is a
        // mistake.
        const std::string api =
            "address = \"0.0.0.0:443\"\nauth = \"admin:pw\"\nbase_url = "
            "\"https://rport.example.com\"\n"
            "enable_acme = true\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:10: [acme] challenges: http-01 is answered on [server] "
                        "acme_http_port, "
                        "which is off (0): set it to the port public port 80 reaches"),
            loadError(configText(data->path(), "", api,
                                 "challenges = [\"tls-alpn-01\", \"http-01\"]\n")));
    }

    void declaredTlsAlpn01NeedsTheApiWithTls() {
        const std::string tunnel =
            kHttp01Port + "tunnel_enable_acme = true\ntunnel_host = \"tunnels.example.com\"\n";
        // Lines 4..6 are [server] keys, so [acme] starts on line 8 without an API.
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:8: [acme] challenges: tls-alpn-01 is answered by the API's TLS "
                "listener, and the API is off: set [api] address (reached on public port 443)"),
            loadError(configText(data->path(), tunnel, "", "challenges = \"tls-alpn-01\"\n")));
        const std::string plainApi = "address = \"0.0.0.0:3000\"\nauth = \"admin:pw\"\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:11: [acme] challenges: tls-alpn-01 is answered by the API's TLS "
                "listener, and the API on port 3000 serves plain HTTP: give it a certificate "
                "([api] enable_acme, or cert_file and key_file)"),
            loadError(
                configText(data->path(), tunnel, plainApi, "challenges = \"tls-alpn-01\"\n")));
        // With certificate files the API answers TLS-ALPN-01 for the tunnel name too.
        const std::string httpsApi = plainApi + "cert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n";
        loadText(configText(data->path(), tunnel, httpsApi, "challenges = \"tls-alpn-01\"\n"));
    }

    void retryWaits() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] retry_min: must be at least 1s, got \"0\""),
            loadError(apiAcme("retry_min = \"0\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] retry_min: must be at least 1s, got \"500ms\""),
            loadError(apiAcme("retry_min = \"500ms\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:11: [acme] retry_min: \"7h\" is longer than retry_max \"6h\""),
            loadError(apiAcme("retry_min = \"7h\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:12: [acme] retry_min: \"2m\" is longer than retry_max \"90s\""),
            loadError(apiAcme("retry_max = \"90s\"\nretry_min = \"2m\"\n")));
        loadText(apiAcme("retry_min = \"1s\"\nretry_max = \"1s\"\n"));
    }

    void keyType() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:11: [acme] key_type: expected \"ecdsa\" or \"rsa\", got \"dsa\""),
            loadError(apiAcme("key_type = \"dsa\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:11: [acme] key_type: expected \"ecdsa\" or \"rsa\", got \"RSA\""),
            loadError(apiAcme("key_type = \"RSA\"\n")));
        CPPUNIT_ASSERT_EQUAL(std::string("ecdsa"),
                             loadText(apiAcme("key_type = \"ecdsa\"\n")).acme.key_type);
    }

    void apiAcmeWithoutReachableChallenge() {
        // No acme_http_port, API on 3000: lines 4..7 are [api].
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:8: [api] enable_acme: no ACME challenge can reach rportd: HTTP-01 is "
                "answered on [server] acme_http_port, which is off (0), and the CA connects to "
                "public port 80 for it; TLS-ALPN-01 is answered by the API's TLS listener, which "
                "the CA reaches on public port 443, and the API listens on port 3000, not 443. Set "
                "acme_http_port (80, or the port public port 80 is forwarded to), or let the API "
                "listen on port 443, or, if public port 443 is forwarded to port 3000, set [acme] "
                "challenges = [\"tls-alpn-01\"]"),
            loadError(configText(data->path(), "", kAcmeApi, "")));
    }

    void tunnelAcmeWithoutReachableChallenge() {
        const std::string tunnel =
            "tunnel_enable_acme = true\ntunnel_host = \"tunnels.example.com\"\n";
        const std::string common =
            "rportd.conf:4: [server] tunnel_enable_acme: no ACME challenge can reach rportd: "
            "HTTP-01 is "
            "answered on [server] acme_http_port, which is off (0), and the CA connects to public "
            "port 80 "
            "for it; TLS-ALPN-01 is answered by the API's TLS listener, which the CA reaches on "
            "public port "
            "443, and ";
        CPPUNIT_ASSERT_EQUAL(
            common +
                "the API is off (no [api] address). Set acme_http_port (80, or the port "
                "public port 80 is forwarded to), or serve the API over HTTPS on port 443",
            loadError(configText(data->path(), tunnel, "", "")));
        CPPUNIT_ASSERT_EQUAL(
            common +
                "the API on port 443 serves plain HTTP. Set acme_http_port (80, or the "
                "port public port 80 is forwarded to), or serve the API over HTTPS on port "
                "443",
            loadError(
                configText(data->path(), tunnel, "address = \":443\"\nauth = \"admin:pw\"\n", "")));
        CPPUNIT_ASSERT_EQUAL(
            common +
                "the API listens on port 8443, not 443. Set acme_http_port (80, or the port public "
                "port 80 "
                "is forwarded to), or let the API listen on port 443, or, if public port 443 is "
                "forwarded "
                "to port 8443, set [acme] challenges = [\"tls-alpn-01\"]",
            loadError(
                configText(data->path(), tunnel,
                           "address = \"[::]:8443\"\nauth = \"admin:pw\"\ncert_file = \"/c.pem\"\n"
                           "key_file = \"/k.pem\"\n",
                           "")));
    }

    void reachableChallengesAreAccepted() {
        // Detected: the API serves TLS on 443.
        const std::string api443 =
            "address = \"0.0.0.0:443\"\nauth = \"admin:pw\"\nbase_url = "
            "\"https://rport.example.com\"\n"
            "enable_acme = true\n";
        loadText(configText(data->path(), "", api443, ""));
        // Detected: HTTP-01 on the challenge listener.
        loadText(configText(data->path(), kHttp01Port, kAcmeApi, ""));
        // Declared: public 443 is forwarded to the API on 3000.
        loadText(configText(data->path(), "", kAcmeApi, "challenges = [\"tls-alpn-01\"]\n"));
        // The tunnel name through the API's listener on 443, no HTTP-01.
        loadText(configText(data->path(),
                            "tunnel_enable_acme = true\ntunnel_host = \"tunnels.example.com\"\n",
                            api443, ""));
    }

    void stateDirectoryMustBeUsable() {
        const std::string acme = data->write("acme", "a file where the directory belongs\n");
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:3: [server] data_dir: the ACME client cannot keep its keys and "
            "certificates "
            "there: " +
                acme +
                " is not a directory: move it out of the way (rportd creates the directory "
                "itself)",
            loadError(apiAcme("")));
        // Without ACME nothing looks at it.
        loadText(configText(data->path(), kHttp01Port, "", ""));
        // The tunnel's ACME needs it as well.
        CPPUNIT_ASSERT(loadError(configText(data->path(),
                                            kHttp01Port + "tunnel_enable_acme = true\n"
                                                          "tunnel_host = \"tunnels.example.com\"\n",
                                            "", ""))
                           .find("rportd.conf:3: [server] data_dir: the ACME client cannot keep") ==
                       0);
    }

    void unusedAcmeSectionWarnsAndIsNotChecked() {
        std::vector<std::string> warnings;
        // Lines 4..6 are [api] without ACME; [acme] keys from line 8.
        const Config c = loadText(
            configText(data->path(), "", "address = \"0.0.0.0:3000\"\nauth = \"admin:pw\"\n",
                       "key_type = \"dsa\"\nemail = \"not an address\"\n"),
            &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:8: [acme]: neither [api] enable_acme (with an [api] address) nor "
                "[server] tunnel_enable_acme is set, ignored"),
            warnings[0]);
        CPPUNIT_ASSERT(!c.plugins.api_cert.has_value());
        // An empty [acme] says nothing.
        warnings.clear();
        loadText(configText(data->path(), "", "", "") + "[acme]\n", &warnings);
        CPPUNIT_ASSERT(warnings.empty());
    }

    void checkConfigReadsTheSameRefusalsFromAFile() {
        // --check-config loads the file with loadConfigFile: the same checks, the file's path in
        // front.
        const std::string path = data->write("rportd.conf", apiAcme("key_type = \"dsa\"\n"));
        std::vector<std::string> warnings;
        try {
            loadConfigFile(path, warnings);
            CPPUNIT_FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            CPPUNIT_ASSERT_EQUAL(
                path + ":11: [acme] key_type: expected \"ecdsa\" or \"rsa\", got \"dsa\"",
                std::string(error.what()));
        }
        const std::string good =
            data->write("good.conf", apiAcme("email = \"admin@example.com\"\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"),
                             loadConfigFile(good, warnings).plugins.api_cert->plugin);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeChecksTest);

}  // namespace rportd::config::test
