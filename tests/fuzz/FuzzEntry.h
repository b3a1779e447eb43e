#pragma once
// The fuzz targets' bodies under names of their own, so that the corpus
// replay test (built with any compiler, run by CTest) can link all of them
// into one program; a libFuzzer build adds LLVMFuzzerTestOneInput around one
// (RPORT_LIBFUZZER).
#include <cstddef>
#include <cstdint>

int rportFuzzServerConnection(const uint8_t* data, size_t size);
int rportFuzzFrameDecoder(const uint8_t* data, size_t size);
