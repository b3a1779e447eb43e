#pragma once
// The fuzz targets' bodies under names of their own, so that the corpus
// replay test (built with any compiler, run by CTest) can link all of them
// into one program; a libFuzzer build adds LLVMFuzzerTestOneInput around one
// (RPORT_LIBFUZZER). Each target's input format is described at the top of
// its file; its seeds are in corpus/<name>, its dictionary (if any) in
// dict/<name>.dict.
#include <cstddef>
#include <cstdint>

int rportFuzzServerConnection(const uint8_t* data, size_t size);  // ssh
int rportFuzzFrameDecoder(const uint8_t* data, size_t size);       // ws
int rportFuzzRequestParser(const uint8_t* data, size_t size);      // http
int rportFuzzConfig(const uint8_t* data, size_t size);             // config
int rportFuzzListQuery(const uint8_t* data, size_t size);          // query
int rportFuzzJsonBody(const uint8_t* data, size_t size);           // json_body
int rportFuzzCredentialFile(const uint8_t* data, size_t size);     // credentials
int rportFuzzApiUserFile(const uint8_t* data, size_t size);        // users
int rportFuzzJsonWebToken(const uint8_t* data, size_t size);       // jwt
