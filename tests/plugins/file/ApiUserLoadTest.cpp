// api-auth/file: loading an API users file ([api] auth_file) and serving its
// users: records, attributes, the original's validation rules and messages,
// lookups and listings.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "ApiUserFixtures.h"
#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using rport::sdk::AuthRecord;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;
using Attributes = std::vector<std::pair<std::string, std::string>>;

class ApiUserLoadTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiUserLoadTest);
    CPPUNIT_TEST(servesUsersWithGroupsAndAttributes);
    CPPUNIT_TEST(neverHandsOutTheTotpSecret);
    CPPUNIT_TEST(acceptsTheThreeBcryptPrefixes);
    CPPUNIT_TEST(refusesPasswordsThatAreNotBcryptHashes);
    CPPUNIT_TEST(emptyFileMeansNoUsers);
    CPPUNIT_TEST(trimsUsernamesAndPasswords);
    CPPUNIT_TEST(emptyUsernameNamesTheEntry);
    CPPUNIT_TEST(emptyPasswordNamesTheEntry);
    CPPUNIT_TEST(usernamesMustBeUnique);
    CPPUNIT_TEST(wrongShapesNameTheEntryAndField);
    CPPUNIT_TEST(syntaxErrorNamesLineAndColumn);
    CPPUNIT_TEST(ignoresUnknownFieldsAndNulls);
    CPPUNIT_TEST(missingFileAndPathSettingAreReported);
    CPPUNIT_TEST(looksUpUsernamesExactly);
    CPPUNIT_TEST(listsFiltersAndPagesLikeTheClientStore);
    CPPUNIT_TEST(logsTheNumberOfLoadedUsers);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    const std::string hash = bcryptOf("pw");

    std::string prefix() const { return "API users file \"" + h->path() + "\": "; }

    // The whole creation error for this file content, after the fake host's
    // "create failed: "; checks the code.
    std::string failureFor(const std::string& text) {
        h->writeInPlace(text);
        auto e = h->openFailure();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        const std::string message = e.what();
        const std::string lead = "create failed: ";
        CPPUNIT_ASSERT_MESSAGE(message, message.compare(0, lead.size(), lead) == 0);
        return message.substr(lead.size());
    }
    void assertRefused(const std::string& text, const std::string& problem) {
        CPPUNIT_ASSERT_EQUAL(prefix() + problem, failureFor(text));
    }

    AuthRecord get(rport::sdk::AuthClient& store, const std::string& id) {
        std::optional<AuthRecord> rec;
        auto result = store.get(id, rec);
        CPPUNIT_ASSERT_MESSAGE(id + ": " + result.message, result.ok());
        return *rec;
    }
    static ListPage list(rport::sdk::AuthClient& store, const ListQuery& query) {
        ListPage page;
        auto result = store.list(query, page);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.ok());
        return page;
    }
    static ListQuery anyOf(std::vector<std::string> patterns) {
        ListQuery q;
        q.conditions.push_back({false, std::move(patterns)});
        return q;
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(Backend::ApiAuth); }
    void tearDown() override { h.reset(); }

    void servesUsersWithGroupsAndAttributes() {
        const std::string hashB = bcryptOf("pw-b", "$2b$");
        h->writeInPlace(usersJson({
            userJson("admin", hash, {"Administrators", "Users"},
                     R"("password_expired": false, "two_fa_send_to": "admin@example.com")"),
            userJson("bob", hashB, {}, R"("password_expired": true)"),
            R"({"username": "carol", "password": ")" + hash + R"("})",
        }));
        auto store = h->open();

        const AuthRecord admin = get(*store, "admin");
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), admin.id);
        CPPUNIT_ASSERT_EQUAL(hash, admin.secret);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_HASHED), admin.secretKind);
        CPPUNIT_ASSERT((std::vector<std::string>{"Administrators", "Users"}) == admin.groups);
        CPPUNIT_ASSERT((Attributes{{"password_expired", "false"},
                                   {"two_fa_send_to", "admin@example.com"}}) == admin.attributes);

        const AuthRecord bob = get(*store, "bob");
        CPPUNIT_ASSERT_EQUAL(hashB, bob.secret);
        CPPUNIT_ASSERT(bob.groups.empty());
        CPPUNIT_ASSERT((Attributes{{"password_expired", "true"}}) == bob.attributes);

        // Fields left out: no groups, not expired, no 2FA address.
        const AuthRecord carol = get(*store, "carol");
        CPPUNIT_ASSERT(carol.groups.empty());
        CPPUNIT_ASSERT((Attributes{{"password_expired", "false"}}) == carol.attributes);

        // The hashes are the file's own, usable as they are.
        CPPUNIT_ASSERT(rport::sdk::password::verifyHash(admin.secret, "pw") ==
                       rport::sdk::password::Verdict::Match);
        CPPUNIT_ASSERT(rport::sdk::password::verifyHash(bob.secret, "pw-b") ==
                       rport::sdk::password::Verdict::Match);
    }

    void neverHandsOutTheTotpSecret() {
        const std::string totp = "JBSWY3DPEHPK3PXP";
        h->writeInPlace(
            usersJson({userJson("u", hash, {"g"}, R"("totp_secret": ")" + totp + "\"")}));
        auto store = h->open();
        std::vector<AuthRecord> seen{get(*store, "u")};
        for (const auto& r : list(*store, ListQuery{}).records) seen.push_back(r);
        for (const auto& r : seen) {
            CPPUNIT_ASSERT(!attributeOf(r, "totp_secret"));
            CPPUNIT_ASSERT(r.secret.find(totp) == std::string::npos);
            for (const auto& [k, v] : r.attributes)
                CPPUNIT_ASSERT(v.find(totp) == std::string::npos);
            for (const auto& g : r.groups) CPPUNIT_ASSERT(g.find(totp) == std::string::npos);
        }
    }

    void acceptsTheThreeBcryptPrefixes() {
        h->writeInPlace(
            usersJson({userJson("y", bcryptOf("py", "$2y$")), userJson("b", bcryptOf("pb", "$2b$")),
                       userJson("a", bcryptOf("pa", "$2a$"))}));
        auto store = h->open();
        struct Case {
            const char* id;
            const char* password;
            const char* variant;
        };
        for (const Case& c :
             {Case{"y", "py", "$2y$"}, Case{"b", "pb", "$2b$"}, Case{"a", "pa", "$2a$"}}) {
            const auto& [id, password, variant] = c;
            const AuthRecord r = get(*store, id);
            CPPUNIT_ASSERT_EQUAL(std::string(variant), r.secret.substr(0, 4));
            CPPUNIT_ASSERT(rport::sdk::password::verifyHash(r.secret, password) ==
                           rport::sdk::password::Verdict::Match);
        }
    }

    void refusesPasswordsThatAreNotBcryptHashes() {
        const std::string tail = hash.substr(4);
        for (const std::string& password :
             {std::string("plaintext"), "$2x$" + tail, "$2$" + tail, std::string("$2y"),
              std::string("$1$salt$hash"), "$6$salt$" + tail, "2y$" + tail, " x$2y$" + tail}) {
            const std::string file =
                usersJson({userJson("fine", hash), userJson("u", password, {"g"})});
            assertRefused(file,
                          "username \"u\": require passwords to be bcrypt hashed (use rportd "
                          "--hash-password)");
        }
    }

    void emptyFileMeansNoUsers() {
        for (const std::string& text :
             {std::string(), std::string("  \n\t\r\n"), std::string("\xEF\xBB\xBF"),
              std::string("[]"), std::string(" null ")}) {
            h->writeInPlace(text);
            auto store = h->open();
            const ListPage page = list(*store, ListQuery{});
            CPPUNIT_ASSERT_EQUAL(uint64_t(0), page.total);
            CPPUNIT_ASSERT(page.records.empty());
            std::optional<AuthRecord> rec;
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("admin", rec).code);
        }
        CPPUNIT_ASSERT_EQUAL(size_t(5), h->logCount(RPORT_LOG_INFO, "loaded 0 API users"));
    }

    void trimsUsernamesAndPasswords() {
        h->writeInPlace(usersJson({userJson(" \\talice\\n ", "\\n " + hash + " \\t"),
                                   // U+00A0 (no-break space) is white space to the original too.
                                   userJson(u8"\u00a0bob\u3000", hash)}));
        auto store = h->open();
        CPPUNIT_ASSERT_EQUAL(hash, get(*store, "alice").secret);
        CPPUNIT_ASSERT_EQUAL(std::string("bob"), get(*store, "bob").id);
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get(" alice", rec).code);
    }

    void emptyUsernameNamesTheEntry() {
        const std::string first = userJson("first", hash);
        for (const std::string& second :
             {userJson("", hash), userJson(" \\t ", hash), R"({"password": ")" + hash + "\"}",
              R"({"username": null, "password": ")" + hash + "\"}"}) {
            assertRefused(usersJson({first, second}), "entry #2: username can not be empty");
        }
    }

    void emptyPasswordNamesTheEntry() {
        for (const std::string& user :
             {userJson("u", ""), userJson("u", "  "), std::string(R"({"username": "u"})"),
              std::string(R"({"username": "u", "password": null})")}) {
            assertRefused(usersJson({user}), "entry #1: password can not be empty");
        }
        // The username is checked first.
        assertRefused(usersJson({userJson("", "")}), "entry #1: username can not be empty");
    }

    void usernamesMustBeUnique() {
        assertRefused(usersJson({userJson("a", hash), userJson("b", hash), userJson("a", hash)}),
                      "non unique username: \"a\"");
        // After trimming.
        assertRefused(usersJson({userJson("a", hash), userJson(" a ", hash)}),
                      "non unique username: \"a\"");
        // Case matters, as it does for logins.
        h->writeInPlace(usersJson({userJson("a", hash), userJson("A", hash)}));
        auto store = h->open();
        CPPUNIT_ASSERT_EQUAL(uint64_t(2), list(*store, ListQuery{}).total);
    }

    void wrongShapesNameTheEntryAndField() {
        assertRefused(R"({"username": "u"})",
                      "the top level must be a JSON array of users, found an object");
        assertRefused("42", "the top level must be a JSON array of users, found a number");
        assertRefused(usersJson({userJson("u", hash), "\"v\""}),
                      "entry #2: must be a JSON object, found a string");
        assertRefused("[null]", "entry #1: must be a JSON object, found null");
        assertRefused(R"([{"username": 7, "password": "x"}])",
                      "entry #1: \"username\" must be a string, found a number");
        assertRefused(R"([{"username": "u", "password": ["x"]}])",
                      "entry #1: \"password\" must be a string, found an array");
        assertRefused(usersJson({userJson("u", hash), R"({"username": "v", "password": ")" + hash +
                                                          R"(", "groups": "Admins"})"}),
                      "entry #2: \"groups\" must be an array of strings, found a string");
        assertRefused(usersJson({userJson("u", hash), R"({"username": "v", "password": ")" + hash +
                                                          R"(", "groups": ["a", 1]})"}),
                      "entry #2: \"groups\" must hold only strings, found a number");
        assertRefused(usersJson({userJson("u", hash, {}, R"("password_expired": "yes")")}),
                      "entry #1: \"password_expired\" must be true or false, found a string");
        assertRefused(usersJson({userJson("u", hash, {}, R"("two_fa_send_to": {})")}),
                      "entry #1: \"two_fa_send_to\" must be a string, found an object");
        assertRefused(usersJson({userJson("u", hash, {}, R"("totp_secret": false)")}),
                      "entry #1: \"totp_secret\" must be a string, found a boolean");
    }

    void syntaxErrorNamesLineAndColumn() {
        const std::string m = failureFor("[\n {\"username\": x}\n]\n");
        CPPUNIT_ASSERT_MESSAGE(m, m.find(prefix() + "invalid JSON at line 2, column 15: ") == 0);
        const std::string truncated = failureFor("[{\"username\": \"u\"");
        CPPUNIT_ASSERT_MESSAGE(
            truncated, truncated.find("invalid JSON at line 1, column 18") != std::string::npos);
    }

    void ignoresUnknownFieldsAndNulls() {
        h->writeInPlace(usersJson({userJson(
            "u", hash, {"g"},
            R"("token": null, "extra": {"nested": [1, 2]}, "groups_v2": 5, "password_expired": null, "two_fa_send_to": null)")}));
        auto store = h->open();
        const AuthRecord u = get(*store, "u");
        CPPUNIT_ASSERT((std::vector<std::string>{"g"}) == u.groups);
        CPPUNIT_ASSERT((Attributes{{"password_expired", "false"}}) == u.attributes);
    }

    void missingFileAndPathSettingAreReported() {
        auto missing = h->openFailure();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), missing.code());
        CPPUNIT_ASSERT_EQUAL(
            "create failed: " + prefix() + "cannot read: No such file or directory",
            std::string(missing.what()));
        auto noPath = h->openFailure({{"path", ""}});
        CPPUNIT_ASSERT_EQUAL(
            std::string("create failed: setting 'path' must name the API users file"),
            std::string(noPath.what()));
    }

    void looksUpUsernamesExactly() {
        h->writeInPlace(usersJson({userJson("Admin", hash), userJson("admin2", hash)}));
        auto store = h->open();
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("Admin", rec).ok());
        for (const char* other : {"admin", "ADMIN", "Admin ", "Adm", "admin*", ""})
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get(other, rec).code);
    }

    void listsFiltersAndPagesLikeTheClientStore() {
        std::vector<std::string> users;
        for (const char* name : {"b2", "a1", "B1", "a3", "a2", "c"})
            users.push_back(userJson(name, hash, {std::string("group-") + name}));
        h->writeInPlace(usersJson(users));
        auto store = h->open();

        const ListPage all = list(*store, ListQuery{});
        CPPUNIT_ASSERT((std::vector<std::string>{"B1", "a1", "a2", "a3", "b2", "c"}) ==
                       FilePluginHarness::ids(all));
        CPPUNIT_ASSERT_EQUAL(uint64_t(6), all.total);
        // Listed records are as complete as looked-up ones.
        CPPUNIT_ASSERT(get(*store, "a2") == all.records[2]);

        const ListPage bees = list(*store, anyOf({"b*"}));  // ASCII case ignored
        CPPUNIT_ASSERT((std::vector<std::string>{"B1", "b2"}) == FilePluginHarness::ids(bees));

        ListQuery paged = anyOf({"a*", "c"});
        paged.offset = 1;
        paged.limit = 2;
        const ListPage page = list(*store, paged);
        CPPUNIT_ASSERT((std::vector<std::string>{"a2", "a3"}) == FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(4), page.total);

        ListQuery both;
        both.conditions.push_back({true, {"*1", "a*"}});
        CPPUNIT_ASSERT((std::vector<std::string>{"a1"}) ==
                       FilePluginHarness::ids(list(*store, both)));
    }

    void logsTheNumberOfLoadedUsers() {
        h->writeInPlace(usersJson({userJson("one", hash)}));
        h->open();
        h->writeInPlace(usersJson({userJson("x", hash), userJson("y", hash), userJson("z", hash)}));
        h->open();
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->logCount(RPORT_LOG_INFO, prefix() + "loaded 1 API user"));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->logCount(RPORT_LOG_INFO, prefix() + "loaded 3 API users"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiUserLoadTest);
