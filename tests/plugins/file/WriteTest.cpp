// Changes through the API: add and remove, the file they leave behind, and
// how the file keeps its permissions and survives odd content.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "FilePluginHarness.h"
#include "Skip.h"
#include "Subprocess.h"

using namespace rport::test::file_plugin;

namespace {

struct stat statOf(const std::string& path) {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(path.c_str(), &st));
    return st;
}

}  // namespace

class WriteTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WriteTest);
    CPPUNIT_TEST(addedEntriesAreServedAtOnce);
    CPPUNIT_TEST(addingAnExistingIdIsExists);
    CPPUNIT_TEST(removedEntriesAreGoneAtOnce);
    CPPUNIT_TEST(removingAMissingIdIsNotFound);
    CPPUNIT_TEST(writesSortedTabIndentedJson);
    CPPUNIT_TEST(unusualTextSurvivesTheRoundTrip);
    CPPUNIT_TEST(refusesRecordsTheFileCannotHold);
    CPPUNIT_TEST(storesHashedSecretsVerbatim);
    CPPUNIT_TEST(keepsModeOwnerAndGroup);
    CPPUNIT_TEST(replacesTheFileInsteadOfRewritingIt);
    CPPUNIT_TEST(leavesNoTemporaryFiles);
    CPPUNIT_TEST(removesTemporaryFilesOfCrashedWriters);
    CPPUNIT_TEST(externalEditBeforeAWriteIsKept);
    CPPUNIT_TEST(brokenFileOnDiskRefusesWritesAndStaysUntouched);
    CPPUNIT_TEST(deletedFileRefusesWrites);
    CPPUNIT_TEST(symlinkedFileStaysLinked);
    CPPUNIT_TEST(symlinkedPathLocksBesideTheRealFile);
    CPPUNIT_TEST(ownerThatCannotBeKeptRefusesTheWrite);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    // No watcher: these tests must see what the write path alone does.
    const Settings unwatched{{"inotify", "false"}, {"check_interval_ms", "0"}};

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void addedEntriesAreServedAtOnce() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(record("new1", "pw-new")).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("pw-new"), secretOf(*store, "new1"));
        CPPUNIT_ASSERT((Credentials{{"a", "1"}, {"new1", "pw-new"}}) ==
                       FilePluginHarness::listAll(*store));
        CPPUNIT_ASSERT((Credentials{{"a", "1"}, {"new1", "pw-new"}}) == h->parseFile());
    }

    void addingAnExistingIdIsExists() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        const std::string before = h->fileText();
        auto result = store->add(record("a", "other"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_EXISTS), result.code);
        CPPUNIT_ASSERT_MESSAGE(result.message,
                               result.message.find("\"a\" already exists") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
    }

    void removedEntriesAreGoneAtOnce() {
        h->writeInPlace(R"({"a": "1", "b": "2"})");
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->remove("a").ok());
        CPPUNIT_ASSERT_EQUAL(std::string(), secretOf(*store, "a"));
        CPPUNIT_ASSERT((Credentials{{"b", "2"}}) == FilePluginHarness::listAll(*store));
        CPPUNIT_ASSERT((Credentials{{"b", "2"}}) == h->parseFile());
    }

    void removingAMissingIdIsNotFound() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        const std::string before = h->fileText();
        auto result = store->remove("A");
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), result.code);
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
    }

    void writesSortedTabIndentedJson() {
        h->writeInPlace("{ \"z\":\"2\" ,\n\n  \"a\" : \"1\"}");
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(record("m", "pw")).ok());
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\n\t\"a\": \"1\",\n\t\"m\": \"pw\",\n\t\"z\": \"2\"\n}\n"),
            h->fileText());
        for (const char* id : {"a", "m", "z"}) CPPUNIT_ASSERT(store->remove(id).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("{}\n"), h->fileText());
        CPPUNIT_ASSERT(h->parseFile().empty());
    }

    void unusualTextSurvivesTheRoundTrip() {
        h->writeInPlace("{}");
        const Credentials odd{
            {"quote\"back\\slash", "tab\there"},   {"ctl\x01\x1f\x7f", "nl\ncr\rff\fbs\b"},
            {u8"é\u2028\U0001F600", u8"pässwörd"}, {"html<&>", "</script>"},
            {"$2b$not-a-key", "{\"json\": [1]}"},
        };
        {
            auto store = h->open(unwatched);
            for (const auto& [id, secret] : odd)
                CPPUNIT_ASSERT(store->add(record(id, secret)).ok());
        }
        CPPUNIT_ASSERT(odd == h->parseFile());
        auto reopened = h->open(unwatched);
        CPPUNIT_ASSERT(odd == FilePluginHarness::listAll(*reopened));
    }

    void refusesRecordsTheFileCannotHold() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        const std::string before = h->fileText();
        const std::string hash = *rport::sdk::password::hashBcrypt("pw", 4);
        const std::vector<std::pair<rport::sdk::AuthRecord, std::string>> refused = {
            {record("", "pw"), "empty client auth id is not allowed"},
            {record("id", ""), "empty password is not allowed"},
            {record(std::string("a\0b", 3), "pw"), "UTF-8 text without NUL"},
            {record("id", std::string("p\0w", 3)), "UTF-8 text without NUL"},
            {record("bad\xff", "pw"), "UTF-8"},
            {record("id", "\xed\xa0\x80"), "UTF-8"},  // an encoded surrogate
            {record("id", "\xc0\xaf"), "UTF-8"},      // an overlong encoding
            {record("id", hash, RPORT_SECRET_PLAIN), "looks like a bcrypt hash"},
            {record("id", "plain", RPORT_SECRET_HASHED), "only bcrypt hashes"},
            {record("id", "x", RPORT_SECRET_WITHHELD), "withheld"},
            {record("id", "x", 77), "unknown secret kind"},
        };
        for (const auto& [rec, why] : refused) {
            auto result = store->add(rec);
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), result.code);
            CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find(why) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
    }

    void storesHashedSecretsVerbatim() {
        h->writeInPlace("{}");
        auto store = h->open(unwatched);
        const std::string hash = *rport::sdk::password::hashBcrypt("pw", 4);
        CPPUNIT_ASSERT(store->add(record("hashed", hash, RPORT_SECRET_HASHED)).ok());
        CPPUNIT_ASSERT(store->add(record("plain", "pw", RPORT_SECRET_PLAIN)).ok());
        std::optional<rport::sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("hashed", rec).ok());
        CPPUNIT_ASSERT_EQUAL(hash, rec->secret);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), rec->secretKind);
        CPPUNIT_ASSERT_EQUAL(hash, h->parseFile()["hashed"]);
    }

    void keepsModeOwnerAndGroup() {
        h->writeInPlace(R"({"a": "1"})");
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(h->path().c_str(), 0640));
        // As root the file can belong to someone else, which is what an
        // installation usually does (root:rport 0640).
        const bool root = ::geteuid() == 0;
        const uid_t owner = root ? 65534 : ::geteuid();
        const gid_t group = root ? 65534 : ::getegid();
        CPPUNIT_ASSERT_EQUAL(0, ::chown(h->path().c_str(), owner, group));
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(record("b", "2")).ok());
        CPPUNIT_ASSERT(store->remove("a").ok());
        const struct stat st = statOf(h->path());
        CPPUNIT_ASSERT_EQUAL(mode_t(0640), st.st_mode & 07777);
        CPPUNIT_ASSERT_EQUAL(owner, st.st_uid);
        CPPUNIT_ASSERT_EQUAL(group, st.st_gid);
    }

    void replacesTheFileInsteadOfRewritingIt() {
        h->writeInPlace(R"({"a": "1"})");
        const ino_t before = statOf(h->path()).st_ino;
        // Someone holding the old file open still reads the old, complete content.
        std::ifstream reader(h->path());
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT(store->add(record("b", "2")).ok());
        CPPUNIT_ASSERT(before != statOf(h->path()).st_ino);
        std::string oldContent((std::istreambuf_iterator<char>(reader)),
                               std::istreambuf_iterator<char>());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a": "1"})"), oldContent);
    }

    void leavesNoTemporaryFiles() {
        h->writeInPlace("{}");
        auto store = h->open(unwatched);
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT(store->add(record("id" + std::to_string(i), "pw")).ok());
        for (int i = 0; i < 20; i += 2)
            CPPUNIT_ASSERT(store->remove("id" + std::to_string(i)).ok());
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_EXISTS), store->add(record("id1", "pw")).code);
        CPPUNIT_ASSERT((std::vector<std::string>{".clients-auth.json.lock", "clients-auth.json"}) ==
                       h->directoryEntries());
        CPPUNIT_ASSERT_EQUAL(size_t(10), h->parseFile().size());
    }

    void removesTemporaryFilesOfCrashedWriters() {
        h->writeInPlace("{}");
        h->dir().write(".clients-auth.json.tmp-leftover1", "{\"half");
        h->dir().write(".other.json.tmp-notours", "x");
        // Read-only mode does not touch the directory.
        h->open({{"write", "false"}});
        CPPUNIT_ASSERT((std::vector<std::string>{".clients-auth.json.tmp-leftover1",
                                                 ".other.json.tmp-notours", "clients-auth.json"}) ==
                       h->directoryEntries());
        h->open();
        CPPUNIT_ASSERT((std::vector<std::string>{".clients-auth.json.lock",
                                                 ".other.json.tmp-notours", "clients-auth.json"}) ==
                       h->directoryEntries());
    }

    void externalEditBeforeAWriteIsKept() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        // Without a watcher the store cannot have seen these edits before the add.
        h->replaceByRename(R"({"a": "1", "external": "e"})");
        CPPUNIT_ASSERT(store->add(record("api", "x")).ok());
        CPPUNIT_ASSERT((Credentials{{"a", "1"}, {"api", "x"}, {"external", "e"}}) ==
                       h->parseFile());
        CPPUNIT_ASSERT_EQUAL(std::string("e"), secretOf(*store, "external"));

        // The same for an edit in place with a file of the same size.
        std::string edited = h->fileText();
        edited.replace(edited.find("\"e\""), 3, "\"f\"");
        h->writeInPlace(edited);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_EXISTS), store->add(record("external", "y")).code);
        CPPUNIT_ASSERT_EQUAL(std::string("f"), secretOf(*store, "external"));
        CPPUNIT_ASSERT(store->remove("a").ok());
        CPPUNIT_ASSERT((Credentials{{"api", "x"}, {"external", "f"}}) == h->parseFile());
    }

    void brokenFileOnDiskRefusesWritesAndStaysUntouched() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        const std::string broken = R"({"a": "1", "half)";
        h->writeInPlace(broken);
        auto result = store->add(record("b", "2"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find(h->path()) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(result.message,
                               result.message.find("invalid JSON") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(broken, h->fileText());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->remove("a").code);
    }

    void deletedFileRefusesWrites() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(unwatched);
        CPPUNIT_ASSERT_EQUAL(0, ::unlink(h->path().c_str()));
        auto result = store->add(record("b", "2"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        CPPUNIT_ASSERT_MESSAGE(
            result.message, result.message.find("No such file or directory") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(-1, ::access(h->path().c_str(), F_OK));
    }

    void symlinkedFileStaysLinked() {
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(h->dir().file("real").c_str(), 0755));
        const std::string real = h->dir().write("real/creds.json", R"({"a": "1"})", 0600);
        const std::string link = h->dir().file("linked.json");
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(real.c_str(), link.c_str()));
        auto store =
            h->open(Settings{{"path", link}, {"inotify", "false"}, {"check_interval_ms", "0"}});
        CPPUNIT_ASSERT(store->add(record("b", "2")).ok());
        CPPUNIT_ASSERT(S_ISLNK(statOf(link).st_mode));
        CPPUNIT_ASSERT_EQUAL(mode_t(0600), statOf(real).st_mode & 07777);
        CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"a\": \"1\",\n\t\"b\": \"2\"\n}\n"), [&] {
            std::ifstream in(real);
            return std::string((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        }());
    }

    // Whoever reaches the file through another path (the real one, another
    // symlink) and follows the locking convention, like `flock <lock file>
    // <command>` or a second rportd, must exclude this store's writes: the
    // lock lives beside the file the path resolves to.
    void symlinkedPathLocksBesideTheRealFile() {
        using namespace std::chrono_literals;
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(h->dir().file("real").c_str(), 0755));
        h->dir().write("real/creds.json", R"({"a": "1"})", 0600);
        const std::string link = h->dir().file("linked.json");
        CPPUNIT_ASSERT_EQUAL(0, ::symlink("real/creds.json", link.c_str()));
        auto store =
            h->open(Settings{{"path", link}, {"inotify", "false"}, {"check_interval_ms", "0"}});

        const std::string realLock = h->dir().file("real/.creds.json.lock");
        const int held = ::open(realLock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        CPPUNIT_ASSERT(held >= 0);
        CPPUNIT_ASSERT_EQUAL(0, ::flock(held, LOCK_EX | LOCK_NB));
        const auto holdFor = 400ms;
        std::thread releaser([&] {
            std::this_thread::sleep_for(holdFor);
            ::close(held);  // releases the lock
        });
        const auto started = std::chrono::steady_clock::now();
        const auto result = store->add(record("b", "2"));
        const auto waited = std::chrono::steady_clock::now() - started;
        releaser.join();

        CPPUNIT_ASSERT_MESSAGE(result.message, result.ok());
        CPPUNIT_ASSERT_MESSAGE("the write did not wait for the lock beside the real file",
                               waited >= holdFor - 50ms);
        CPPUNIT_ASSERT_EQUAL(-1, ::access(h->dir().file(".linked.json.lock").c_str(), F_OK));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), secretOf(*store, "b"));
    }

    // rportd running as a user who may not give a file away: replacing the
    // file would hand it to rportd's user, so the write is refused and the
    // file stays as it was. Needs root to set the scene; the write itself
    // runs in a child that has dropped to nobody.
    void ownerThatCannotBeKeptRefusesTheWrite() {
        if (::geteuid() != 0)
            return rport::test::skipTest("needs root to make a file owned by another user");
        const uid_t nobody = 65534;
        const std::string shared = h->dir().file("shared");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(shared.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::chown(shared.c_str(), nobody, nobody));
        const std::string original = R"({"a": "1"})";
        // root's file, writable by anyone: only its owner stands in the way.
        const std::string file = h->dir().write("shared/creds.json", original, 0666);
        const struct stat before = statOf(file);
        CPPUNIT_ASSERT_EQUAL(uid_t(0), before.st_uid);

        const auto run =
            rport::test::runProcess({WRITER_AS_PATH, std::to_string(nobody), std::to_string(nobody),
                                     FILE_PLUGIN_PATH, file, "b"},
                                    h->dir().path(), {}, 30000);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 1, run.exitCode);
        CPPUNIT_ASSERT_MESSAGE(
            run.output, run.output.find("not changed: cannot give the new version the "
                                        "owner (uid 0) and group (gid 0) of the file it "
                                        "replaces: Operation not permitted") != std::string::npos);

        const struct stat after = statOf(file);
        CPPUNIT_ASSERT_EQUAL(before.st_ino, after.st_ino);
        CPPUNIT_ASSERT_EQUAL(uid_t(0), after.st_uid);
        CPPUNIT_ASSERT_EQUAL(gid_t(0), after.st_gid);
        CPPUNIT_ASSERT_EQUAL(original, rport::test::readFile(file));
        const std::string leftover = rport::test::shellOutput("ls -A " + shared);
        CPPUNIT_ASSERT_EQUAL(std::string(".creds.json.lock\ncreds.json\n"), leftover);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WriteTest);
