// Which plugin fills each role: implicitly from the classic keys, explicitly
// from [plugins] + [plugin.NAME], never both.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"
#include "config/PluginSelection.h"

#include <sys/stat.h>

#include "TempDir.h"

namespace rportd::config::test {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

const PluginSelection& selected(const std::optional<PluginSelection>& slot) {
    CPPUNIT_ASSERT_MESSAGE("role has no selection", slot.has_value());
    return *slot;
}

const std::string kApiOn = "[api]\naddress = \"127.0.0.1:3000\"\n";

}  // namespace

class PluginSelectionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginSelectionTest);
    CPPUNIT_TEST(clientAuthStatic);
    CPPUNIT_TEST(clientAuthFile);
    CPPUNIT_TEST(clientAuthTable);
    CPPUNIT_TEST(apiAuthStaticFileTable);
    CPPUNIT_TEST(apiCertFiles);
    CPPUNIT_TEST(apiCertInACertbotLineageSelectsCertbot);
    CPPUNIT_TEST(apiCertAcmeUsesHostOfBaseUrl);
    CPPUNIT_TEST(apiCertAcmeGetsEveryAcmeSetting);
    CPPUNIT_TEST(acmeChallengesAsDeclared);
    CPPUNIT_TEST(tunnelCertFilesAndAcme);
    CPPUNIT_TEST(explicitSelectionWithSettings);
    CPPUNIT_TEST(explicitClientAuthCountsAsSet);
    CPPUNIT_TEST(explicitWithoutSettingsTable);
    CPPUNIT_TEST(pluginNamesMatchTablesCaseInsensitively);
    CPPUNIT_TEST(conflictWithClassicKey);
    CPPUNIT_TEST(apiConflictsCarryApiPrefix);
    CPPUNIT_TEST(certConflicts);
    CPPUNIT_TEST(badPluginNames);
    CPPUNIT_TEST(nestedTableInSettingsIsAnError);
    CPPUNIT_TEST(arrayOfTablesInSettingsIsAnError);
    CPPUNIT_TEST(plainValueUnderPluginIsAnError);
    CPPUNIT_TEST(unusedSettingsTableWarns);
    CPPUNIT_TEST(unknownKeyInPluginsWarns);
    CPPUNIT_TEST(pluginDirectory);
    CPPUNIT_TEST(explicitTunnelCertEnablesTunnelProxy);
    CPPUNIT_TEST(revalidationIsStable);
    CPPUNIT_TEST_SUITE_END();

public:
    void clientAuthStatic() {
        const Config c = loadText(kMinimalConfig);
        const auto& s = selected(c.plugins.client_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("static"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] auth"), s.origin);
        CPPUNIT_ASSERT(s.settings == (Settings{{"auth", "client1:secret"}}));
        CPPUNIT_ASSERT(!isExplicitSelection(s));
    }

    void clientAuthFile() {
        const Config c = loadText(
            "[server]\nauth_file = \"/etc/rport/clients.json\"\n"
            "auth_write = false\n");
        const auto& s = selected(c.plugins.client_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("file"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] auth_file"), s.origin);
        CPPUNIT_ASSERT(s.settings ==
                       (Settings{{"path", "/etc/rport/clients.json"}, {"write", "false"}}));
    }

    void clientAuthTable() {
        const Config c = loadText(
            "[server]\nauth_table = \"clients_auth\"\n[database]\ndb_type = \"mysql\"\n"
            "db_host = \"127.0.0.1:3306\"\ndb_user = \"rport\"\ndb_password = \"pw\"\n"
            "db_name = \"rport\"\n");
        const auto& s = selected(c.plugins.client_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("table"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] auth_table"), s.origin);
        CPPUNIT_ASSERT(s.settings == (Settings{{"table", "clients_auth"},
                                               {"write", "true"},
                                               {"db_type", "mysql"},
                                               {"db_host", "127.0.0.1:3306"},
                                               {"db_user", "rport"},
                                               {"db_password", "pw"},
                                               {"db_name", "rport"}}));
    }

    void apiAuthStaticFileTable() {
        const Config withStatic = loadText(kMinimalConfig + kApiOn + "auth = \"admin:pw\"\n");
        const auto& st = selected(withStatic.plugins.api_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("static"), st.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[api] auth"), st.origin);
        CPPUNIT_ASSERT(st.settings == (Settings{{"auth", "admin:pw"}}));

        const Config withFile = loadText(kMinimalConfig + kApiOn + "auth_file = \"/u.json\"\n");
        const auto& f = selected(withFile.plugins.api_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("file"), f.plugin);
        CPPUNIT_ASSERT(f.settings == (Settings{{"path", "/u.json"}}));

        const Config withTable =
            loadText(kMinimalConfig + kApiOn +
                     "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n"
                     "auth_group_details_table = \"details\"\n[database]\ndb_type = \"sqlite\"\n"
                     "db_name = \"/tmp/users.db\"\n");
        const auto& t = selected(withTable.plugins.api_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("table"), t.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[api] auth_user_table"), t.origin);
        CPPUNIT_ASSERT(t.settings == (Settings{{"user_table", "users"},
                                               {"group_table", "groups"},
                                               {"group_details_table", "details"},
                                               {"db_type", "sqlite"},
                                               {"db_host", ""},
                                               {"db_user", ""},
                                               {"db_password", ""},
                                               {"db_name", "/tmp/users.db"}}));
    }

    void apiCertFiles() {
        const Config c =
            loadText(kMinimalConfig + kApiOn +
                     "auth = \"a:b\"\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n");
        const auto& s = selected(c.plugins.api_cert);
        CPPUNIT_ASSERT_EQUAL(std::string("files"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[api] cert_file"), s.origin);
        CPPUNIT_ASSERT(s.settings == (Settings{{"cert_file", "/c.pem"}, {"key_file", "/k.pem"}}));
    }

    void apiCertInACertbotLineageSelectsCertbot() {
        rport::test::TempDir dir;
        const std::string config = dir.file("letsencrypt");
        for (const std::string d : {"", "/live", "/live/r.example", "/renewal"})
            ::mkdir((config + d).c_str(), 0700);
        const std::string cert = config + "/live/r.example/fullchain.pem";
        const std::string key = config + "/live/r.example/privkey.pem";
        const std::string text = "[server]\nauth = \"a:b\"\nacme_http_port = 80\n" + kApiOn +
                                 "auth = \"u:p\"\ncert_file = \"" + cert + "\"\nkey_file = \"" + key + "\"\n";

        // Without renewal/r.example.conf it is just a pair of files.
        const Config plain = loadText(text);
        CPPUNIT_ASSERT_EQUAL(std::string("files"), selected(plain.plugins.api_cert).plugin);

        dir.write("letsencrypt/renewal/r.example.conf", "[renewalparams]\nauthenticator = webroot\n");
        const Config c = loadText(text);
        const auto& s = selected(c.plugins.api_cert);
        CPPUNIT_ASSERT_EQUAL(std::string("certbot"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[api] cert_file"), s.origin);
        CPPUNIT_ASSERT(!isExplicitSelection(s));
        CPPUNIT_ASSERT(s.settings ==
                       (Settings{{"cert_file", cert},
                                 {"key_file", key},
                                 {"acme_http_port", "80"},
                                 {"challenge_webroot", s.settings.back().second}}));
        CPPUNIT_ASSERT(s.settings.back().second.size() > std::string("/acme-webroot").size());

        // The tunnel proxy's files keep the plain provider.
        const Config tunnel = loadText("[server]\nauth = \"a:b\"\ntunnel_proxy_cert_file = \"" + cert +
                                       "\"\ntunnel_proxy_key_file = \"" + key + "\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("files"), selected(tunnel.plugins.tunnel_cert).plugin);
    }

    void apiCertAcmeUsesHostOfBaseUrl() {
        rport::test::TempDir data;
        const Config c = loadText(
            "[server]\nauth = \"a:b\"\ndata_dir = \"" + data.path() + "\"\nacme_http_port = 8081\n" +
            kApiOn +
            "auth = \"u:p\"\nbase_url = \"https://rport.example.com:443\"\nenable_acme = true\n");
        const auto& s = selected(c.plugins.api_cert);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[api] enable_acme"), s.origin);
        // The [acme] defaults; optional settings nobody set are left out.
        CPPUNIT_ASSERT(s.settings == (Settings{{"host", "rport.example.com"},
                                               {"base_url", "https://rport.example.com:443"},
                                               {"data_dir", data.path()},
                                               {"http_port", "8081"},
                                               {"directory_url", "https://acme-v02.api.letsencrypt.org/directory"},
                                               {"challenges", "http-01"},
                                               {"retry_min", "1m"},
                                               {"retry_max", "6h"},
                                               {"key_type", "ecdsa"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com"), *findSetting(s, "host"));
        CPPUNIT_ASSERT(!findSetting(s, "nothing").has_value());
    }

    void apiCertAcmeGetsEveryAcmeSetting() {
        rport::test::TempDir data;
        const std::string bundle = data.write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        const Config c = loadText(
            "[server]\nauth = \"a:b\"\ndata_dir = \"" + data.path() + "\"\nacme_http_port = 80\n"
            "[api]\naddress = \"0.0.0.0:443\"\nauth = \"u:p\"\nbase_url = \"https://rport.example.com\"\n"
            "enable_acme = true\n"
            "[acme]\ndirectory_url = \"https://ca.internal/acme/directory\"\nemail = \"ops@example.com\"\n"
            "ca_bundle = \"" + bundle + "\"\neab_kid = \"kid-7\"\neab_hmac_key = \"c2VjcmV0LWtleQ\"\n"
            "retry_min = \"90s\"\nretry_max = \"1h30m\"\nkey_type = \"rsa\"\n");
        const auto& s = selected(c.plugins.api_cert);
        // Both challenges detected, TLS-ALPN-01 (the API is on 443) preferred.
        CPPUNIT_ASSERT(s.settings == (Settings{{"host", "rport.example.com"},
                                               {"base_url", "https://rport.example.com"},
                                               {"data_dir", data.path()},
                                               {"http_port", "80"},
                                               {"directory_url", "https://ca.internal/acme/directory"},
                                               {"email", "ops@example.com"},
                                               {"ca_bundle", bundle},
                                               {"eab_kid", "kid-7"},
                                               {"eab_hmac_key", "c2VjcmV0LWtleQ"},
                                               {"challenges", "tls-alpn-01,http-01"},
                                               {"retry_min", "90s"},
                                               {"retry_max", "1h30m"},
                                               {"key_type", "rsa"}}));
    }

    void acmeChallengesAsDeclared() {
        rport::test::TempDir data;
        // Public 443 forwarded to the API on 3000: only TLS-ALPN-01, declared.
        const Config c = loadText(
            "[server]\nauth = \"a:b\"\ndata_dir = \"" + data.path() + "\"\nacme_http_port = 80\n" +
            kApiOn + "auth = \"u:p\"\nbase_url = \"https://rport.example.com\"\nenable_acme = true\n"
                     "[acme]\nchallenges = [\"tls-alpn-01\"]\n");
        CPPUNIT_ASSERT_EQUAL(std::string("tls-alpn-01"), *findSetting(selected(c.plugins.api_cert), "challenges"));
    }

    void tunnelCertFilesAndAcme() {
        const Config files = loadText(kMinimalConfig +
                                      "tunnel_proxy_cert_file = \"/t.crt\"\n"
                                      "tunnel_proxy_key_file = \"/t.key\"\n");
        const auto& f = selected(files.plugins.tunnel_cert);
        CPPUNIT_ASSERT_EQUAL(std::string("files"), f.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] tunnel_proxy_cert_file"), f.origin);
        CPPUNIT_ASSERT(f.settings == (Settings{{"cert_file", "/t.crt"}, {"key_file", "/t.key"}}));

        rport::test::TempDir data;
        const Config acme = loadText(kMinimalConfig +
                                     "tunnel_enable_acme = true\n"
                                     "tunnel_host = \"tunnels.example.com\"\n"
                                     "acme_http_port = 80\n"
                                     "data_dir = \"" + data.path() + "\"\n"
                                     "[acme]\nemail = \"ops@example.com\"\n");
        const auto& a = selected(acme.plugins.tunnel_cert);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), a.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] tunnel_enable_acme"), a.origin);
        CPPUNIT_ASSERT(a.settings == (Settings{{"host", "tunnels.example.com"},
                                               {"data_dir", data.path()},
                                               {"http_port", "80"},
                                               {"directory_url", "https://acme-v02.api.letsencrypt.org/directory"},
                                               {"email", "ops@example.com"},
                                               {"challenges", "http-01"},
                                               {"retry_min", "1m"},
                                               {"retry_max", "6h"},
                                               {"key_type", "ecdsa"}}));
    }

    void explicitSelectionWithSettings() {
        const Config c = loadText(
            "[plugins]\nclient_auth = \"myauth\"\n"
            "[plugin.myauth]\nurl = \"https://auth.example.com\"\ntimeout = 5\nratio = 0.25\n"
            "verify = false\nhosts = [\"a\", \"b\", 3]\nWhole = 2.0\n");
        const auto& s = selected(c.plugins.client_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("myauth"), s.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("[plugins] client_auth"), s.origin);
        CPPUNIT_ASSERT(isExplicitSelection(s));
        CPPUNIT_ASSERT(s.settings == (Settings{{"url", "https://auth.example.com"},
                                               {"timeout", "5"},
                                               {"ratio", "0.25"},
                                               {"verify", "false"},
                                               {"hosts", "a,b,3"},
                                               {"whole", "2.0"}}));
    }

    void explicitClientAuthCountsAsSet() {
        // No auth / auth_file / auth_table, yet client authentication is enabled.
        const Config c = loadText("[plugins]\nclient_auth = \"ldap\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("ldap"), selected(c.plugins.client_auth).plugin);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.server.auth_id);
        // The same holds for the API.
        const Config a = loadText(kMinimalConfig + kApiOn + "[plugins]\napi_auth = \"ldap\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("[plugins] api_auth"),
                             selected(a.plugins.api_auth).origin);
    }

    void explicitWithoutSettingsTable() {
        const Config c = loadText("[plugins]\nclient_auth = \"plain\"\n");
        CPPUNIT_ASSERT(selected(c.plugins.client_auth).settings.empty());
    }

    void pluginNamesMatchTablesCaseInsensitively() {
        std::vector<std::string> warnings;
        const Config c =
            loadText("[plugins]\nclient_auth = \"MyAuth\"\n[plugin.MYAUTH]\nKey = 1\n", &warnings);
        const auto& s = selected(c.plugins.client_auth);
        CPPUNIT_ASSERT_EQUAL(std::string("MyAuth"), s.plugin);
        CPPUNIT_ASSERT(s.settings == (Settings{{"key", "1"}}));
        CPPUNIT_ASSERT(warnings.empty());
    }

    void conflictWithClassicKey() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: '[plugins] client_auth' and '[server] auth' are both set: "
                        "expected only one of them"),
            loadError(kMinimalConfig + "[plugins]\nclient_auth = \"myauth\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: '[plugins] client_auth' and '[server] auth_file' are both "
                        "set: expected only one of them"),
            loadError("[server]\nauth_file = \"/f.json\"\n[plugins]\nclient_auth = \"x\"\n"));
    }

    void apiConflictsCarryApiPrefix() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:7: API: '[plugins] api_auth' and '[api] auth' are both set: "
                        "expected only one of them"),
            loadError(kMinimalConfig + kApiOn + "auth = \"u:p\"\n[plugins]\napi_auth = \"x\"\n"));
        // With the API off the conflict is still an error, just without the prefix.
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: '[plugins] api_auth' and '[api] auth_file' are both set: "
                        "expected only one of them"),
            loadError(kMinimalConfig + "[api]\nauth_file = \"/u.json\"\n[plugins]\n"
                                       "api_auth = \"x\"\n"));
    }

    void certConflicts() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:9: API: '[plugins] api_cert' and '[api] enable_acme' are both "
                        "set: expected only one of them"),
            loadError(kMinimalConfig + kApiOn +
                      "auth = \"u:p\"\nbase_url = \"https://x.example\"\nenable_acme = true\n"
                      "[plugins]\napi_cert = \"mycerts\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: '[plugins] tunnel_cert' and '[server] "
                        "tunnel_proxy_cert_file' are both set: expected only one of them"),
            loadError(kMinimalConfig + "tunnel_proxy_cert_file = \"/c\"\n"
                                       "tunnel_proxy_key_file = \"/k\"\n[plugins]\n"
                                       "tunnel_cert = \"mycerts\"\n"));
    }

    void badPluginNames() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:2: [plugins] client_auth: invalid plugin name \"my auth\": use "
                "only letters, digits, '.', '_' and '-'"),
            loadError("[plugins]\nclient_auth = \"my auth\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [plugins] api_cert: invalid plugin name \"../evil\": use "
                        "only letters, digits, '.', '_' and '-'"),
            loadError("[plugins]\napi_cert = \"../evil\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [plugins] client_auth: plugin name must not be empty"),
            loadError("[plugins]\nclient_auth = \"\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [plugins] tunnel_cert: expected a string, got an array"),
            loadError("[plugins]\ntunnel_cert = [\"a\"]\n"));
        CPPUNIT_ASSERT(isValidPluginName("my-auth_2.v1"));
        CPPUNIT_ASSERT(!isValidPluginName("a/b"));
    }

    void nestedTableInSettingsIsAnError() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: [plugin.myauth] tls: nested tables are not supported in "
                        "plugin settings"),
            loadError("[plugins]\nclient_auth = \"myauth\"\n[plugin.myauth]\nurl = \"x\"\n"
                      "[plugin.myauth.tls]\nca = \"/ca.pem\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [plugin.myauth] tls: nested tables are not supported in "
                        "plugin settings"),
            loadError("[plugins]\nclient_auth = \"myauth\"\n[plugin.myauth]\ntls = { ca = 1 }\n"));
    }

    void arrayOfTablesInSettingsIsAnError() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [plugin.myauth] hosts: a plugin setting list may hold only "
                        "plain values, got an array"),
            loadError("[plugins]\nclient_auth = \"myauth\"\n[plugin.myauth]\nhosts = [[1]]\n"));
    }

    void plainValueUnderPluginIsAnError() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [plugin] myauth: expected a table [plugin.myauth] of "
                        "settings, got integer 1"),
            loadError("[plugin]\nmyauth = 1\n"));
    }

    void unusedSettingsTableWarns() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "[plugin.ldap]\nurl = \"ldap://x\"\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [plugin.ldap]: no role in [plugins] selects plugin "
                        "\"ldap\", settings ignored"),
            warnings[0]);
    }

    void unknownKeyInPluginsWarns() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "[plugins]\nclient_aut = \"x\"\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [plugins] client_aut: unknown key, ignored"), warnings[0]);
    }

    void pluginDirectory() {
        const Config c = loadText(kMinimalConfig + "[plugins]\ndir = \"/opt/rport/plugins\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("/opt/rport/plugins"), c.plugins.dir);
    }

    void explicitTunnelCertEnablesTunnelProxy() {
        const Config c = loadText(kMinimalConfig + "[plugins]\ntunnel_cert = \"mycerts\"\n");
        CPPUNIT_ASSERT(c.server.tunnel_proxy_enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("mycerts"), selected(c.plugins.tunnel_cert).plugin);
    }

    void revalidationIsStable() {
        // validate() fills implicit selections; running it again must not see a conflict.
        Config c = loadText(kMinimalConfig + kApiOn + "auth = \"u:p\"\n");
        validate(c);
        CPPUNIT_ASSERT_EQUAL(std::string("[server] auth"), selected(c.plugins.client_auth).origin);
        // After switching to another classic key the selection follows.
        c.server.auth.clear();
        c.server.auth_file = "/f.json";
        validate(c);
        CPPUNIT_ASSERT_EQUAL(std::string("file"), selected(c.plugins.client_auth).plugin);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginSelectionTest);

}  // namespace rportd::config::test
