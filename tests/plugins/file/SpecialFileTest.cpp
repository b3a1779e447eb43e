// Something other than a regular file where the credentials file or its lock
// file should be: a FIFO would block whoever opens it for reading until a
// writer comes along, and the store opens the file while holding the mutex
// every reload and API write waits for. Each case must end at once with a
// refusal that names the file.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <future>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using namespace std::chrono_literals;

namespace {

// Generous for a refusal that needs no I/O, short enough to fail quickly.
constexpr auto kPrompt = 2s;

// Makes path a FIFO. When the object goes, anyone still blocked opening the
// FIFO is set free and a regular file takes its place, so that a store that
// does block (the bug under test) fails the test instead of hanging it.
class FifoAt {
public:
    explicit FifoAt(std::string path) : _path(std::move(path)) {
        ::unlink(_path.c_str());
        if (::mkfifo(_path.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + _path);
    }
    ~FifoAt() {
        // Opening a FIFO read-write never blocks on Linux, and it counts as
        // the writer blocked readers wait for.
        const int writer = ::open(_path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        const std::string staging = _path + ".regular";
        { std::ofstream(staging) << "{}"; }
        ::rename(staging.c_str(), _path.c_str());
        if (writer >= 0) ::close(writer);  // freed readers see the end of the data
    }
    FifoAt(const FifoAt&) = delete;
    FifoAt& operator=(const FifoAt&) = delete;

    // Runs action on another thread; true when it returned within limit. When
    // it did not, the caller's assertion fails and ~FifoAt sets it free.
    template <class Action>
    static bool finishesWithin(std::chrono::milliseconds limit, std::future<void>& running,
                               Action action) {
        running = std::async(std::launch::async, std::move(action));
        return running.wait_for(limit) == std::future_status::ready;
    }

private:
    std::string _path;
};

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

class SpecialFileTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SpecialFileTest);
    CPPUNIT_TEST(fifoAtThePathFailsTheStartAtOnce);
    CPPUNIT_TEST(fifoAtTheApiUsersPathFailsTheStartAtOnce);
    CPPUNIT_TEST(fifoReplacingTheFileIsReportedAndTheLoadedSetKept);
    CPPUNIT_TEST(writeOverAFifoIsRefusedAtOnce);
    CPPUNIT_TEST(fifoAsLockFileBlocksNeitherLoadNorWrite);
    CPPUNIT_TEST_SUITE_END();

    const Settings unwatched{{"inotify", "false"}, {"check_interval_ms", "0"}};

public:
    void fifoAtThePathFailsTheStartAtOnce() {
        FilePluginHarness h;
        std::future<void> running;
        std::string message;
        {
            FifoAt fifo(h.path());
            const bool prompt = FifoAt::finishesWithin(
                kPrompt, running, [&] { message = h.openFailure(unwatched).what(); });
            CPPUNIT_ASSERT_MESSAGE("creating the store blocked on the FIFO", prompt);
        }
        running.get();
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "client auth file \"" + h.path() +
                                                              "\": cannot read: not a regular "
                                                              "file (a FIFO)"));
    }

    void fifoAtTheApiUsersPathFailsTheStartAtOnce() {
        FilePluginHarness h(Backend::ApiAuth);
        std::future<void> running;
        std::string message;
        {
            FifoAt fifo(h.path());
            const bool prompt = FifoAt::finishesWithin(
                kPrompt, running, [&] { message = h.openFailure(unwatched).what(); });
            CPPUNIT_ASSERT_MESSAGE("creating the store blocked on the FIFO", prompt);
        }
        running.get();
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, h.path()));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "not a regular file (a FIFO)"));
    }

    void fifoReplacingTheFileIsReportedAndTheLoadedSetKept() {
        FilePluginHarness h;
        h.writeInPlace(R"({"a": "1"})");
        auto store = h.open({{"check_interval_ms", "0"}});  // inotify notices the swap
        std::future<void> running;
        rport::sdk::CallResult added;
        {
            FifoAt fifo(h.path());
            CPPUNIT_ASSERT_MESSAGE("the watcher blocked on the FIFO", waitUntil([&] {
                                       return h.logCount(RPORT_LOG_ERROR,
                                                         "cannot reload: not a regular file "
                                                         "(a FIFO); keeping the 1 client "
                                                         "credential loaded before") == 1;
                                   }));
            CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
            // The watcher must not have left the mutex held: a write gets its turn.
            const bool prompt = FifoAt::finishesWithin(
                kPrompt, running, [&] { added = store->add(record("b", "2")); });
            CPPUNIT_ASSERT_MESSAGE("the API write blocked", prompt);
        }
        running.get();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), added.code);
        CPPUNIT_ASSERT_MESSAGE(added.message, contains(added.message, h.path()));
        CPPUNIT_ASSERT_MESSAGE(added.message, contains(added.message, "not a regular file"));
    }

    void writeOverAFifoIsRefusedAtOnce() {
        FilePluginHarness h;
        h.writeInPlace(R"({"a": "1"})");
        auto store = h.open(unwatched);
        std::future<void> running;
        rport::sdk::CallResult added;
        {
            FifoAt fifo(h.path());
            const bool prompt = FifoAt::finishesWithin(
                kPrompt, running, [&] { added = store->add(record("b", "2")); });
            CPPUNIT_ASSERT_MESSAGE("the API write blocked on the FIFO", prompt);
            struct stat st {};
            CPPUNIT_ASSERT_EQUAL(0, ::lstat(h.path().c_str(), &st));
            CPPUNIT_ASSERT_MESSAGE("the FIFO was replaced", S_ISFIFO(st.st_mode));
        }
        running.get();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), added.code);
        CPPUNIT_ASSERT_MESSAGE(added.message,
                               contains(added.message, "client auth file \"" + h.path() +
                                                           "\": cannot read it before writing: "
                                                           "not a regular file (a FIFO)"));
        CPPUNIT_ASSERT_EQUAL(std::string(), secretOf(*store, "b"));
    }

    void fifoAsLockFileBlocksNeitherLoadNorWrite() {
        FilePluginHarness h;
        h.writeInPlace(R"({"a": "1"})");
        std::future<void> running;
        std::unique_ptr<rport::sdk::AuthClient> store;
        rport::sdk::CallResult added;
        {
            FifoAt fifo(h.dir().file(".clients-auth.json.lock"));
            const bool loaded =
                FifoAt::finishesWithin(kPrompt, running, [&] { store = h.open(unwatched); });
            CPPUNIT_ASSERT_MESSAGE("loading blocked on the lock file", loaded);
            running.get();
            const bool written = FifoAt::finishesWithin(
                kPrompt, running, [&] { added = store->add(record("b", "2")); });
            CPPUNIT_ASSERT_MESSAGE("the API write blocked on the lock file", written);
        }
        running.get();
        CPPUNIT_ASSERT_MESSAGE(added.message, added.ok());
        CPPUNIT_ASSERT((Credentials{{"a", "1"}, {"b", "2"}}) == h.parseFile());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpecialFileTest);
