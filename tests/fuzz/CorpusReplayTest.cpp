// The fuzz targets' seed corpus (tests/fuzz/corpus), replayed on every CTest
// run with whatever compiler built the tree, so that the inputs that walk the
// decoders' main paths keep passing where libFuzzer is not available. A crash
// or abort() in a target fails the program; findings of a fuzzing run that
// are worth keeping belong in the corpus too.
#include <cppunit/extensions/HelperMacros.h>
#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include "FuzzEntry.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

std::vector<std::string> corpus(const std::string& name) {
    std::string dir = sourceDir() + "/tests/fuzz/corpus/" + name;
    std::vector<std::string> files;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* entry = ::readdir(d))
            if (entry->d_name[0] != '.') files.push_back(dir + "/" + entry->d_name);
        ::closedir(d);
    }
    std::sort(files.begin(), files.end());
    return files;
}

size_t replay(const std::string& name, int (*target)(const uint8_t*, size_t)) {
    std::vector<std::string> files = corpus(name);
    for (const std::string& file : files) {
        std::string bytes = readFile(file);
        target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        // Every prefix too: inputs cut anywhere are what a fuzzer tries first.
        for (size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 16)
            target(reinterpret_cast<const uint8_t*>(bytes.data()), cut);
    }
    return files.size();
}

}  // namespace

class CorpusReplayTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CorpusReplayTest);
    CPPUNIT_TEST(serverConnectionCorpus);
    CPPUNIT_TEST(frameDecoderCorpus);
    CPPUNIT_TEST(requestParserCorpus);
    CPPUNIT_TEST(configCorpus);
    CPPUNIT_TEST(listQueryCorpus);
    CPPUNIT_TEST(jsonBodyCorpus);
    CPPUNIT_TEST(credentialFileCorpus);
    CPPUNIT_TEST(apiUserFileCorpus);
    CPPUNIT_TEST(jsonWebTokenCorpus);
    CPPUNIT_TEST_SUITE_END();

public:
    void serverConnectionCorpus() {
        CPPUNIT_ASSERT(replay("ssh", rportFuzzServerConnection) >= 15);
    }
    void frameDecoderCorpus() { CPPUNIT_ASSERT(replay("ws", rportFuzzFrameDecoder) >= 10); }
    void requestParserCorpus() { CPPUNIT_ASSERT(replay("http", rportFuzzRequestParser) >= 10); }
    void configCorpus() { CPPUNIT_ASSERT(replay("config", rportFuzzConfig) >= 8); }
    void listQueryCorpus() { CPPUNIT_ASSERT(replay("query", rportFuzzListQuery) >= 8); }
    void jsonBodyCorpus() { CPPUNIT_ASSERT(replay("json_body", rportFuzzJsonBody) >= 8); }
    void credentialFileCorpus() {
        CPPUNIT_ASSERT(replay("credentials", rportFuzzCredentialFile) >= 6);
    }
    void apiUserFileCorpus() { CPPUNIT_ASSERT(replay("users", rportFuzzApiUserFile) >= 6); }
    void jsonWebTokenCorpus() { CPPUNIT_ASSERT(replay("jwt", rportFuzzJsonWebToken) >= 6); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CorpusReplayTest);
