// Each validation message of the original, word for word, behind the
// "file:line: " of the key that caused it.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"
#include "TempDir.h"

namespace rportd::config::test {
namespace {

// [server] with a valid static pair on line 2; extra server keys start on line 3.
std::string server(const std::string& extra) { return kMinimalConfig + extra; }

// A valid server plus an enabled API with one static user; extra API keys start on line 6.
std::string api(const std::string& extra) {
    return kMinimalConfig + "[api]\naddress = \"127.0.0.1:3000\"\nauth = \"admin:pw\"\n" + extra;
}

}  // namespace

class ConfigValidationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigValidationTest);
    CPPUNIT_TEST(serverUrlMessages);
    CPPUNIT_TEST(pairingUrlMessage);
    CPPUNIT_TEST(defaultUrlBlamesAddress);
    CPPUNIT_TEST(portMessages);
    CPPUNIT_TEST(allowedPortsAreUsedMinusExcluded);
    CPPUNIT_TEST(clientListenerTlsKeys);
    CPPUNIT_TEST(tunnelProxyMessages);
    CPPUNIT_TEST(tunnelAcmeNeedsADnsName);
    CPPUNIT_TEST(tunnelSettingsIgnoredWhileProxyOff);
    CPPUNIT_TEST(dataDirMessage);
    CPPUNIT_TEST(keepDisconnectedClientsRange);
    CPPUNIT_TEST(clientAuthMessages);
    CPPUNIT_TEST(clientAuthPasswordMayContainColons);
    CPPUNIT_TEST(apiAuthMessages);
    CPPUNIT_TEST(apiAuthHeaderMessages);
    CPPUNIT_TEST(apiStaticAuthFormat);
    CPPUNIT_TEST(apiCertificateMessages);
    CPPUNIT_TEST(apiBaseUrlMessages);
    CPPUNIT_TEST(apiTlsAndTokenLifetime);
    CPPUNIT_TEST(apiChecksSkippedWhileApiOff);
    CPPUNIT_TEST(docRootNeedsApi);
    CPPUNIT_TEST(databaseMessages);
    CPPUNIT_TEST(checkPortTimeoutLimit);
    CPPUNIT_TEST(checkIntervalIsRaisedWithWarning);
    CPPUNIT_TEST(validateWorksOnHandBuiltConfig);
    CPPUNIT_TEST_SUITE_END();

public:
    void serverUrlMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.URL: invalid url ftp://x: schema must be http or "
                        "https"),
            loadError(server("url = \"ftp://x\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.URL: invalid url https:go.lang, must be absolute "
                        "url"),
            loadError(server("url = [\"http://ok.example\", \"https:go.lang\"]\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.URL: invalid url foo: parse \"foo\": invalid URI "
                        "for request"),
            loadError(server("url = \"foo\"\n")));
    }

    void pairingUrlMessage() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.pairingURL: invalid url ftp:example.com: schema "
                        "must be http or https"),
            loadError(server("pairing_url = \"ftp:example.com\"\n")));
        // Empty switches the pairing URL off and is fine.
        loadText(server("pairing_url = \"\"\n"));
    }

    void defaultUrlBlamesAddress() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.URL: invalid url http://bad host:1: parse "
                        "\"http://bad host:1\": invalid character \" \" in host name"),
            loadError(server("address = \"bad host:1\"\n")));
    }

    void portMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'used_ports': can't parse port number abc: "
                        "strconv.Atoi: parsing \"abc\": invalid syntax"),
            loadError(server("used_ports = [\"abc\"]\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'used_ports': invalid port number: 70000"),
            loadError(server("used_ports = [\"70000\"]\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'used_ports': invalid port range 30-20"),
            loadError(server("used_ports = [\"30-20\"]\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'used_ports': can't parse port range: "
                        "incorrect range 1-2-3"),
            loadError(server("used_ports = [\"1-2-3\"]\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'excluded_ports': can't parse port number x: "
                        "strconv.Atoi: parsing \"x\": invalid syntax"),
            loadError(server("excluded_ports = \"x\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: invalid 'used_ports', 'excluded_ports': at least one port "
                        "should be available for port assignment"),
            loadError(server("used_ports = [\"100-200\"]\n")));
    }

    void allowedPortsAreUsedMinusExcluded() {
        const Config c =
            loadText(server("used_ports = [\"20000-20010\", \"9000\"]\n"
                            "excluded_ports = [\"20005\", \"1-1024\"]\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{11}, c.server.allowed_ports.size());
        CPPUNIT_ASSERT(c.server.allowed_ports.contains(9000));
        CPPUNIT_ASSERT(!c.server.allowed_ports.contains(20005));
        CPPUNIT_ASSERT(c.server.used_ports == (std::vector<std::string>{"20000-20010", "9000"}));
    }

    // Ours: TLS on the client listener, chosen like the API's.
    void clientListenerTlsKeys() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: when 'cert_file' is set, 'key_file' must be set as well"),
            loadError(server("cert_file = \"/c.pem\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: when 'key_file' is set, 'cert_file' must be set as well"),
            loadError(server("key_file = \"/k.pem\"\n")));
        const Config c = loadText(server("cert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n"));
        CPPUNIT_ASSERT(c.plugins.client_cert.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("files"), c.plugins.client_cert->plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] cert_file"), c.plugins.client_cert->origin);
        CPPUNIT_ASSERT(!loadText(server("")).plugins.client_cert.has_value());
    }

    void tunnelProxyMessages() {
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: when 'tunnel_proxy_cert_file' is set, "
                                         "'tunnel_proxy_key_file' must be set as well"),
                             loadError(server("tunnel_proxy_cert_file = \"/c.pem\"\n")));
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: when 'tunnel_proxy_key_file' is set, "
                                         "'tunnel_proxy_cert_file' must be set as well"),
                             loadError(server("tunnel_proxy_key_file = \"/k.pem\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: tunnel_proxy_cert_file, tunnel_proxy_key_file and "
                        "tunnel_enable_acme cannot be used together"),
            loadError(server("tunnel_proxy_cert_file = \"/c.pem\"\ntunnel_proxy_key_file = "
                             "\"/k.pem\"\ntunnel_enable_acme = true\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: invalid tunnel_host 'bad tunnel host': use IP address or "
                        "FQDN"),
            loadError(server("tunnel_enable_acme = true\ntunnel_host = \"bad tunnel host\"\n")));
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:4: TLS must be either 1.2 or 1.3"),
                             loadError(server("tunnel_enable_acme = true\ntls_min = \"1.7\"\n")));
        rport::test::TempDir data;
        const Config ok =
            loadText(server("tunnel_enable_acme = true\n"
                            "tunnel_host = \"tunnels.example.com\"\nacme_http_port = 80\n"
                            "data_dir = \"" +
                            data.path() + "\"\n"));
        CPPUNIT_ASSERT(ok.server.tunnel_proxy_enabled);
    }

    void tunnelAcmeNeedsADnsName() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:3: tunnel_host must be set when tunnel_enable_acme is set: ACME "
                "certificates need a DNS name that points at this server"),
            loadError(server("tunnel_enable_acme = true\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:4: tunnel_host must be set when tunnel_enable_acme is set: ACME "
                "certificates need a DNS name that points at this server"),
            loadError(server("tunnel_enable_acme = true\ntunnel_host = \"\"\n")));
        const std::string ipMessage =
            " is an IP address, and ACME certificates need a DNS name; use a name that points at "
            "this server, or tunnel_proxy_cert_file and tunnel_proxy_key_file instead of "
            "tunnel_enable_acme";
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:3: tunnel_host must be a DNS name when tunnel_enable_acme is set: "
            "203.0.113.7" +
                ipMessage,
            loadError(server("tunnel_host = \"203.0.113.7\"\ntunnel_enable_acme = true\n")));
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:4: tunnel_host must be a DNS name when tunnel_enable_acme is set: "
            "2001:db8::7" +
                ipMessage,
            loadError(server("tunnel_enable_acme = true\ntunnel_host = \"2001:db8::7\"\n")));
        // An address is fine for a tunnel proxy with certificate files, as in the original.
        loadText(
            server("tunnel_host = \"203.0.113.7\"\ntunnel_proxy_cert_file = \"/c\"\n"
                   "tunnel_proxy_key_file = \"/k\"\n"));
    }

    void tunnelSettingsIgnoredWhileProxyOff() {
        const Config c = loadText(server("tunnel_host = \"bad tunnel host\"\ntls_min = \"1.7\"\n"));
        CPPUNIT_ASSERT(!c.server.tunnel_proxy_enabled);
    }

    void dataDirMessage() {
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: 'data directory path' cannot be empty"),
                             loadError(server("data_dir = \"\"\n")));
    }

    void keepDisconnectedClientsRange() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: expected 'Keep Lost Clients' can be in range [1s, "
                        "168h0m0s], actual: 500ms"),
            loadError(server("purge_disconnected_clients = true\n"
                             "keep_disconnected_clients = \"0.5s\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: expected 'Keep Lost Clients' can be in range [1s, "
                        "168h0m0s], actual: 200h0m0s"),
            loadError(server("purge_disconnected_clients = true\n"
                             "keep_disconnected_clients = \"200h\"\n")));
        // Zero purges at once; without purging the value is not used at all.
        loadText(server("purge_disconnected_clients = true\nkeep_disconnected_clients = \"0\"\n"));
        loadText(server("keep_disconnected_clients = \"200h\"\n"));
    }

    void clientAuthMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("client authentication must be enabled: set either 'auth', 'auth_file' or "
                        "'auth_table'"),
            loadError("[server]\naddress = \"0.0.0.0:8080\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: 'auth_file' and 'auth' are both set: expected only one of "
                        "them"),
            loadError(server("auth_file = \"/a.json\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: 'auth_file' and 'auth_table' are both set: expected only "
                        "one of them"),
            loadError("[server]\nauth_file = \"/a.json\"\nauth_table = \"t\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: 'auth' and 'auth_table' are both set: expected only one of "
                        "them"),
            loadError(server("auth_table = \"clients_auth\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: 'db_type' must be set when 'auth_table' is set"),
            loadError("[server]\nauth_table = \"clients_auth\"\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:2: invalid client auth credentials, expected "
                                         "'<client-id>:<password>', got \"nocolon\""),
                             loadError("[server]\nauth = \"nocolon\"\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:2: invalid client auth credentials, expected "
                                         "'<client-id>:<password>', got \":pw\""),
                             loadError("[server]\nauth = \":pw\"\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:2: invalid client auth credentials, expected "
                                         "'<client-id>:<password>', got \"id:\""),
                             loadError("[server]\nauth = \"id:\"\n"));
        loadText("[server]\nauth_table = \"clients_auth\"\n[database]\ndb_type = \"mysql\"\n");
        loadText("[server]\nauth_file = \"/var/lib/rport/client-auth.json\"\n");
    }

    void clientAuthPasswordMayContainColons() {
        const Config c = loadText("[server]\nauth = \"id:pa:ss\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("id"), c.server.auth_id);
        CPPUNIT_ASSERT_EQUAL(std::string("pa:ss"), c.server.auth_password);
    }

    void apiAuthMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("API: authentication must be enabled: set either 'auth', 'auth_file' or "
                        "'auth_user_table'"),
            loadError(kMinimalConfig + "[api]\naddress = \"127.0.0.1:3000\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: 'auth_file' and 'auth' are both set: expected only "
                        "one of them"),
            loadError(api("auth_file = \"/users.json\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: 'auth_user_table' and 'auth' are both set: expected "
                        "only one of them"),
            loadError(api("auth_user_table = \"users\"\n")));
        const std::string base = kMinimalConfig + "[api]\naddress = \"127.0.0.1:3000\"\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: 'auth_user_table' and 'auth_file' are both set: "
                        "expected only one of them"),
            loadError(base + "auth_file = \"/users.json\"\nauth_user_table = \"users\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: API: when 'auth_user_table' is set, 'auth_group_table' "
                        "must be set as well"),
            loadError(base + "auth_user_table = \"users\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: API: 'db_type' must be set when 'auth_user_table' is set"),
            loadError(base + "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n"));
        loadText(base +
                 "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n"
                 "[database]\ndb_type = \"sqlite\"\ndb_name = \"/tmp/x.db\"\n");
    }

    void apiAuthHeaderMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: 'auth_header' cannot be used with single user 'auth'"),
            loadError(api("auth_header = \"X-Auth\"\n")));
        const std::string fileUsers =
            kMinimalConfig + "[api]\naddress = \"127.0.0.1:3000\"\nauth_file = \"/u.json\"\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: 'user_header' must be set when 'auth_header' is set"),
            loadError(fileUsers + "auth_header = \"X-Auth\"\nuser_header = \"\"\n"));
        loadText(fileUsers + "auth_header = \"X-Auth\"\n");
    }

    void apiStaticAuthFormat() {
        const std::string base = kMinimalConfig + "[api]\naddress = \"127.0.0.1:3000\"\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: API: invalid auth format: expected <user>:<password>, "
                        "actual admin"),
            loadError(base + "auth = \"admin\"\n"));
        const Config c = loadText(base + "auth = \"admin:pw:x\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), c.api.auth_user);
        CPPUNIT_ASSERT_EQUAL(std::string("pw:x"), c.api.auth_password);
    }

    void apiCertificateMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: when 'cert_file' is set, 'key_file' must be set as "
                        "well"),
            loadError(api("cert_file = \"/c.pem\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: when 'key_file' is set, 'cert_file' must be set as "
                        "well"),
            loadError(api("key_file = \"/k.pem\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:9: API: cert_file, key_file and enable_acme cannot be used "
                        "together"),
            loadError(api("cert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n"
                          "base_url = \"https://rport.example.com\"\nenable_acme = true\n")));
        // Only the shape is checked here: the files need not exist.
        loadText(api("cert_file = \"/nonexistent/c.pem\"\nkey_file = \"/nonexistent/k.pem\"\n"));
    }

    void apiBaseUrlMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: base_url must be a valid url: parse \"http://a:b\": "
                        "invalid port \":b\" after host"),
            loadError(api("base_url = \"http://a:b\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: base_url must have a host when acme is enabled"),
            loadError(api("enable_acme = true\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: base_url must have a host when acme is enabled"),
            loadError(api("base_url = \"/just/a/path\"\nenable_acme = true\n")));
        const std::string ipMessage =
            " is an IP address, and ACME certificates need a DNS name; use a name that points at "
            "this server, or cert_file and key_file instead of enable_acme";
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:6: API: base_url must name a DNS host when acme is enabled: 203.0.113.7" +
                ipMessage,
            loadError(api("base_url = \"https://203.0.113.7:3000/\"\nenable_acme = true\n")));
        CPPUNIT_ASSERT_EQUAL(
            "rportd.conf:7: API: base_url must name a DNS host when acme is enabled: 2001:db8::7" +
                ipMessage,
            loadError(api("enable_acme = true\nbase_url = \"https://[2001:db8::7]\"\n")));
        // Without ACME an address in base_url is fine.
        loadText(api("base_url = \"https://203.0.113.7:3000/\"\n"));
    }

    void apiTlsAndTokenLifetime() {
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:6: API: TLS must be either 1.2 or 1.3"),
                             loadError(api("tls_min = \"1.1\"\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: max_token_lifetime outside allowable ranges. must be "
                        "between 0 and 2160"),
            loadError(api("max_token_lifetime = 2161\n")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: max_token_lifetime outside allowable ranges. must be "
                        "between 0 and 2160"),
            loadError(api("max_token_lifetime = -1\n")));
        loadText(api("max_token_lifetime = 2160\ntls_min = \"1.2\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: invalid 'trusted_proxies': \"proxy.example\" is not "
                        "an address or a network (CIDR)"),
            loadError(api("trusted_proxies = [\"10.0.0.0/8\", \"proxy.example\"]\n")));
        loadText(api("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"fd00::/8\"]\n"));
    }

    void apiChecksSkippedWhileApiOff() {
        // Without an address the original checked nothing of [api] except doc_root.
        loadText(kMinimalConfig + "[api]\ntls_min = \"9\"\ncert_file = \"/c.pem\"\n");
    }

    void docRootNeedsApi() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: API: to use document root you need to specify API address"),
            loadError(kMinimalConfig + "[api]\ndoc_root = \"/var/www\"\n"));
    }

    void databaseMessages() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: invalid 'db_type', expected 'mysql' or 'sqlite', got "
                        "\"postgres\""),
            loadError(kMinimalConfig + "[database]\ndb_type = \"postgres\"\n"));
    }

    void checkPortTimeoutLimit() {
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: 'check_port_timeout' can not be more than "
                                         "1m0s"),
                             loadError(server("check_port_timeout = \"61s\"\n")));
        loadText(server("check_port_timeout = \"1m\"\n"));
    }

    void checkIntervalIsRaisedWithWarning() {
        std::vector<std::string> warnings;
        const Config c =
            loadText(server("check_clients_connection_interval = \"30s\"\n"), &warnings);
        CPPUNIT_ASSERT(c.server.check_clients_connection_interval == std::chrono::minutes(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] check_clients_connection_interval: "
                        "30s is below the minimum, using 2m0s"),
            warnings[0]);
    }

    void validateWorksOnHandBuiltConfig() {
        Config c;
        c.server.auth = "a:b";
        c.database.db_type = "oracle";
        try {
            validate(c);
            CPPUNIT_FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            // No source line is known, so there is no prefix.
            CPPUNIT_ASSERT_EQUAL(
                std::string("invalid 'db_type', expected 'mysql' or 'sqlite', got \"oracle\""),
                std::string(error.what()));
            CPPUNIT_ASSERT_EQUAL(0, error.where().line);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigValidationTest);

}  // namespace rportd::config::test
