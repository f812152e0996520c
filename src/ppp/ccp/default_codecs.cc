#include "ppp/ccp/default_codecs.h"

#include <string>

#include "ppp/ccp/deflate.h"
#include "ppp/ccp/mppc_codec.h"
#include "ppp/ccp/pred1.h"

namespace mlppp::ppp {
namespace {

int KeyBits(uint32_t bits) {
  if (bits & kMppe128) return 128;
  if (bits & kMppe56) return 56;
  if (bits & kMppe40) return 40;
  return 0;
}

}  // namespace

Result<std::unique_ptr<ccp::Encoder>> DefaultCcpCodecs::MakeEncoder(const CcpDirection& d) {
  switch (d.method) {
    case CcpMethod::kMppc: {
      ccp::MppcParams p;
      p.compress = d.mppc_bits & kMppcCompress;
      p.key_bits = KeyBits(d.mppc_bits);
      p.stateless = d.mppc_bits & kMppeStateless;
      if (p.key_bits) {
        if (!keys_) return Status::Error("MPPE without keys (authenticate with MS-CHAP)");
        p.start_key = keys_->send;
      }
      return ccp::MakeMppcEncoder(p);
    }
    case CcpMethod::kDeflate: {
      ccp::DeflateParams p;
      p.window_bits = d.deflate_window;
      return ccp::MakeDeflateEncoder(p);
    }
    case CcpMethod::kPred1:
      return ccp::MakePred1Encoder();
    case CcpMethod::kNone:
      break;
  }
  return Status::Error("no method");
}

Result<std::unique_ptr<ccp::Decoder>> DefaultCcpCodecs::MakeDecoder(const CcpDirection& d) {
  switch (d.method) {
    case CcpMethod::kMppc: {
      ccp::MppcParams p;
      p.compress = d.mppc_bits & kMppcCompress;
      p.key_bits = KeyBits(d.mppc_bits);
      p.stateless = d.mppc_bits & kMppeStateless;
      if (p.key_bits) {
        if (!keys_) return Status::Error("MPPE without keys (authenticate with MS-CHAP)");
        p.start_key = keys_->recv;
      }
      return ccp::MakeMppcDecoder(p);
    }
    case CcpMethod::kDeflate: {
      ccp::DeflateParams p;
      p.window_bits = d.deflate_window;
      return ccp::MakeDeflateDecoder(p);
    }
    case CcpMethod::kPred1:
      return ccp::MakePred1Decoder();
    case CcpMethod::kNone:
      break;
  }
  return Status::Error("no method");
}

}  // namespace mlppp::ppp
