// api-auth/file: adding and removing API users, and the file that leaves
// behind: the original's layout, bcrypt-only secrets, permissions.
#include <Poco/JSON/Object.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ApiUserFixtures.h"
#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using rport::sdk::AuthRecord;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;

namespace {

mode_t modeOf(const std::string& path) {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
    return st.st_mode & 07777;
}

std::vector<AuthRecord> everything(rport::sdk::AuthClient& store) {
    ListPage page;
    auto result = store.list(ListQuery{}, page);
    CPPUNIT_ASSERT_MESSAGE(result.message, result.ok());
    return page.records;
}

}  // namespace

class ApiUserWriteTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiUserWriteTest);
    CPPUNIT_TEST(addedUsersAreServedAtOnceWithGroupsAndAttributes);
    CPPUNIT_TEST(removedUsersAreGoneAtOnce);
    CPPUNIT_TEST(existingAndMissingUsernamesAreReported);
    CPPUNIT_TEST(writesTheOriginalLayoutSortedByUsername);
    CPPUNIT_TEST(writtenFileParsesBackToTheSameUsers);
    CPPUNIT_TEST(keepsTotpSecretsInTheFileOnly);
    CPPUNIT_TEST(refusesPlaintextPasswords);
    CPPUNIT_TEST(refusesRecordsTheFileCannotHold);
    CPPUNIT_TEST(acceptsBcryptHashesOfAutoKind);
    CPPUNIT_TEST(keepsTheModeOfAnExistingFile);
    CPPUNIT_TEST(recreatesADeletedFileWithMode0600);
    CPPUNIT_TEST(externalEditBeforeAWriteIsKept);
    CPPUNIT_TEST(brokenFileOnDiskRefusesWrites);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    // No watcher: these tests must see what the write path alone does.
    const Settings unwatched{{"inotify", "false"}, {"check_interval_ms", "0"}};
    const std::string hash = bcryptOf("pw");

    AuthRecord get(rport::sdk::AuthClient& store, const std::string& id) {
        std::optional<AuthRecord> rec;
        auto result = store.get(id, rec);
        CPPUNIT_ASSERT_MESSAGE(id + ": " + result.message, result.ok());
        return *rec;
    }
    bool exists(rport::sdk::AuthClient& store, const std::string& id) {
        std::optional<AuthRecord> rec;
        return store.get(id, rec).ok();
    }
    void assertInvalid(rport::sdk::AuthClient& store, const AuthRecord& r,
                       const std::string& needle) {
        const std::string before = h->fileText();
        auto result = store.add(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.message, int32_t(RPORT_E_INVALID), result.code);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find(needle) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
        CPPUNIT_ASSERT(!exists(store, r.id));
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(Backend::ApiAuth); }
    void tearDown() override { h.reset(); }

    void addedUsersAreServedAtOnceWithGroupsAndAttributes() {
        h->writeInPlace(usersJson({userJson("admin", hash, {"Administrators"})}));
        auto store = h->open(unwatched);
        AuthRecord added = userRecord("new", bcryptOf("new-pw"), {"Users", "Administrators"});
        added.attributes = {{"password_expired", "true"}, {"two_fa_send_to", "new@example.com"}};
        CPPUNIT_ASSERT(store->add(added).ok());

        const AuthRecord served = get(*store, "new");
        CPPUNIT_ASSERT_EQUAL(added.secret, served.secret);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_HASHED), served.secretKind);
        CPPUNIT_ASSERT(added.groups == served.groups);
        CPPUNIT_ASSERT(added.attributes == served.attributes);
        CPPUNIT_ASSERT_EQUAL(size_t(2), everything(*store).size());
    }

    void removedUsersAreGoneAtOnce() {
        h->writeInPlace(usersJson({userJson("a", hash, {"g"}, R"("two_fa_send_to": "a@x")"),
                                   userJson("b", hash, {"Administrators"})}));
        auto store = h->open(unwatched);
        const AuthRecord b = get(*store, "b");
        CPPUNIT_ASSERT(store->remove("a").ok());
        CPPUNIT_ASSERT(!exists(*store, "a"));
        CPPUNIT_ASSERT(b == get(*store, "b"));
        auto users = readUsersFile(h->path());
        CPPUNIT_ASSERT_EQUAL(size_t(1), users->size());
        CPPUNIT_ASSERT_EQUAL(std::string("b"),
                             users->getObject(0)->getValue<std::string>("username"));
    }

    void existingAndMissingUsernamesAreReported() {
        h->writeInPlace(usersJson({userJson("a", hash)}));
        auto store = h->open(unwatched);
        const std::string before = h->fileText();
        auto taken = store->add(userRecord("a", bcryptOf("other")));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_EXISTS), taken.code);
        CPPUNIT_ASSERT_EQUAL(std::string("API user \"a\" already exists"), taken.message);
        auto missing = store->remove("A");
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), missing.code);
        CPPUNIT_ASSERT_EQUAL(std::string("API user \"A\" not found"), missing.message);
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
        CPPUNIT_ASSERT_EQUAL(hash, get(*store, "a").secret);
    }

    void writesTheOriginalLayoutSortedByUsername() {
        h->writeInPlace(R"([{"username":"zed","password":")" + hash +
                        R"(","groups":["Administrators","Users"],"password_expired":true,)" +
                        R"("two_fa_send_to":"z@x","totp_secret":"T0TP","token":null},)" +
                        R"({"username":"amy","password":")" + hash + R"("}])");
        auto store = h->open(unwatched);
        const std::string mHash = bcryptOf("m");
        CPPUNIT_ASSERT(store->add(userRecord("m", mHash, {"a\"q"})).ok());
        const std::string expected =
            "[\n"
            " {\n"
            "  \"username\": \"amy\",\n"
            "  \"password\": \"" +
            hash +
            "\",\n"
            "  \"groups\": [],\n"
            "  \"password_expired\": false\n"
            " },\n"
            " {\n"
            "  \"username\": \"m\",\n"
            "  \"password\": \"" +
            mHash +
            "\",\n"
            "  \"groups\": [\n"
            "   \"a\\\"q\"\n"
            "  ],\n"
            "  \"password_expired\": false\n"
            " },\n"
            " {\n"
            "  \"username\": \"zed\",\n"
            "  \"password\": \"" +
            hash +
            "\",\n"
            "  \"groups\": [\n"
            "   \"Administrators\",\n"
            "   \"Users\"\n"
            "  ],\n"
            "  \"password_expired\": true,\n"
            "  \"two_fa_send_to\": \"z@x\",\n"
            "  \"totp_secret\": \"T0TP\"\n"
            " }\n"
            "]\n";
        CPPUNIT_ASSERT_EQUAL(expected, h->fileText());
        for (const char* id : {"amy", "m", "zed"}) CPPUNIT_ASSERT(store->remove(id).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("[]\n"), h->fileText());
    }

    void writtenFileParsesBackToTheSameUsers() {
        h->writeInPlace("");
        std::vector<AuthRecord> before;
        {
            auto store = h->open(unwatched);
            AuthRecord odd = userRecord(u8"jürgen \"quoted\"", bcryptOf("p1", "$2b$"),
                                        {u8"Gruppe ä", "tab\there", "Administrators"});
            odd.attributes = {{"password_expired", "false"}, {"two_fa_send_to", "+49 170 1234567"}};
            AuthRecord plain = userRecord("plain", bcryptOf("p2", "$2a$"));
            plain.attributes = {{"password_expired", "true"}};
            CPPUNIT_ASSERT(store->add(odd).ok());
            CPPUNIT_ASSERT(store->add(plain).ok());
            before = everything(*store);
        }
        // An independent parser agrees with what was meant.
        auto users = readUsersFile(h->path());
        CPPUNIT_ASSERT_EQUAL(size_t(2), users->size());
        Poco::JSON::Object::Ptr first = users->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string(u8"jürgen \"quoted\""),
                             first->getValue<std::string>("username"));
        CPPUNIT_ASSERT_EQUAL(std::string("+49 170 1234567"),
                             first->getValue<std::string>("two_fa_send_to"));
        CPPUNIT_ASSERT_EQUAL(false, first->getValue<bool>("password_expired"));
        CPPUNIT_ASSERT_EQUAL(size_t(3), first->getArray("groups")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("tab\there"),
                             first->getArray("groups")->getElement<std::string>(1));
        CPPUNIT_ASSERT_EQUAL(true, users->getObject(1)->getValue<bool>("password_expired"));
        CPPUNIT_ASSERT(!users->getObject(1)->has("two_fa_send_to"));
        // And the plugin reads back exactly the users it served.
        auto reopened = h->open(unwatched);
        CPPUNIT_ASSERT(before == everything(*reopened));
    }

    void keepsTotpSecretsInTheFileOnly() {
        h->writeInPlace(usersJson({userJson("two", hash, {}, R"("totp_secret": "S3CR3T")")}));
        auto store = h->open(unwatched);
        // Attributes that are not part of the file are left out, totp_secret included.
        AuthRecord added = userRecord("one", hash);
        added.attributes = {{"totp_secret", "OTHER"}, {"colour", "blue"}};
        CPPUNIT_ASSERT(store->add(added).ok());
        const std::string text = h->fileText();
        CPPUNIT_ASSERT(text.find("\"totp_secret\": \"S3CR3T\"") != std::string::npos);
        CPPUNIT_ASSERT(text.find("OTHER") == std::string::npos);
        CPPUNIT_ASSERT(text.find("colour") == std::string::npos);
        for (const auto& r : everything(*store))
            for (const auto& [k, v] : r.attributes) {
                CPPUNIT_ASSERT(k != "totp_secret");
                CPPUNIT_ASSERT(v != "S3CR3T");
            }
    }

    void refusesPlaintextPasswords() {
        h->writeInPlace("[]");
        auto store = h->open(unwatched);
        const std::string why = "require passwords to be bcrypt hashed";
        assertInvalid(*store, userRecord("u", "secret", {}, RPORT_SECRET_PLAIN), why);
        assertInvalid(*store, userRecord("u", "secret", {}, RPORT_SECRET_AUTO), why);
        assertInvalid(*store, userRecord("u", "secret", {}, RPORT_SECRET_HASHED), why);
        assertInvalid(*store, userRecord("u", "$1$salt$hash", {}, RPORT_SECRET_HASHED), why);
        // A plaintext password that merely looks like a hash is still plaintext.
        assertInvalid(*store, userRecord("u", hash, {}, RPORT_SECRET_PLAIN), why);
        assertInvalid(*store, userRecord("u", "", {}, RPORT_SECRET_WITHHELD), "withheld");
        CPPUNIT_ASSERT_EQUAL(std::string("[]"), h->fileText());
    }

    void refusesRecordsTheFileCannotHold() {
        h->writeInPlace("[]");
        auto store = h->open(unwatched);
        assertInvalid(*store, userRecord("", hash), "username can not be empty");
        assertInvalid(*store, userRecord(" u", hash), "must not begin or end with white space");
        assertInvalid(*store, userRecord("u\n", hash), "must not begin or end with white space");
        assertInvalid(*store, userRecord("u", ""), "password can not be empty");
        assertInvalid(*store, userRecord("u", hash + " "),
                      "must not begin or end with white space");
        assertInvalid(*store, userRecord("bad\xff", hash), "UTF-8");
        assertInvalid(*store, userRecord("u", hash, {std::string("nul\0g", 5)}), "UTF-8");
        AuthRecord expired = userRecord("u", hash);
        expired.attributes = {{"password_expired", "yes"}};
        assertInvalid(*store, expired, "'password_expired' must be \"true\" or \"false\"");
    }

    void acceptsBcryptHashesOfAutoKind() {
        h->writeInPlace("[]");
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(userRecord("u", hash, {}, RPORT_SECRET_AUTO)).ok());
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_HASHED), get(*store, "u").secretKind);
    }

    void keepsTheModeOfAnExistingFile() {
        h->writeInPlace(usersJson({userJson("a", hash)}));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(h->path().c_str(), 0640));
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(userRecord("b", hash)).ok());
        CPPUNIT_ASSERT_EQUAL(mode_t(0640), modeOf(h->path()));
    }

    void recreatesADeletedFileWithMode0600() {
        h->writeInPlace(usersJson({userJson("kept", hash, {"Administrators"})}));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(h->path().c_str(), 0644));
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT_EQUAL(0, ::unlink(h->path().c_str()));
        CPPUNIT_ASSERT(store->add(userRecord("new", hash)).ok());
        CPPUNIT_ASSERT_EQUAL(mode_t(0600), modeOf(h->path()));
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::stat(h->path().c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(::geteuid(), st.st_uid);
        auto users = readUsersFile(h->path());
        CPPUNIT_ASSERT_EQUAL(size_t(2), users->size());
        CPPUNIT_ASSERT_EQUAL(std::string("kept"),
                             users->getObject(0)->getValue<std::string>("username"));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1), h->logCount(RPORT_LOG_WARNING,
                                   "was deleted; writing it again from the 1 API user in force"));
    }

    void externalEditBeforeAWriteIsKept() {
        h->writeInPlace(usersJson({userJson("a", hash)}));
        auto store = h->open(unwatched);
        h->replaceByRename(usersJson({userJson("edited", hash, {"Administrators"})}));
        CPPUNIT_ASSERT(store->add(userRecord("b", hash)).ok());
        CPPUNIT_ASSERT(exists(*store, "edited"));
        CPPUNIT_ASSERT(!exists(*store, "a"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), readUsersFile(h->path())->size());
    }

    void brokenFileOnDiskRefusesWrites() {
        h->writeInPlace(usersJson({userJson("a", hash)}));
        auto store = h->open(unwatched);
        const std::string broken = usersJson({userJson("a", "plaintext")});
        h->writeInPlace(broken);
        auto result = store->add(userRecord("b", hash));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        CPPUNIT_ASSERT_MESSAGE(
            result.message,
            result.message.find("was changed on disk and is not valid") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            result.message,
            result.message.find("require passwords to be bcrypt hashed") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(broken, h->fileText());
        CPPUNIT_ASSERT(exists(*store, "a"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiUserWriteTest);
