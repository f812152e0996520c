// RC4 (src/ppp/ccp/rc4.h): the RFC 6229 keystream vectors, agreement with
// OpenSSL's RC4 (EVP, legacy provider) for random keys and lengths, and the
// multi-stream kernel against one Process() call per job.
#include "ppp/ccp/rc4.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "aaa/legacy_crypto.h"
#include "aaa/mschap.h"
#include "core/hex_bytes.h"

namespace mlppp::ppp::ccp {
namespace {

using Bytes = std::vector<uint8_t>;

using mlppp::testing::Hex;

struct KeystreamAt {
  size_t offset;
  std::string_view hex;  // 16 octets
};

struct Rfc6229Vector {
  std::string_view key;
  std::array<KeystreamAt, 18> stream;
};

// RFC 6229 §2: keystream octets (encryption of zeros) at offsets 0, 16,
// 240, 256, ..., 4080, 4096 for the keys 0x0102..., 40 to 256 bits, and
// one key of the second group (40-bit 0x833222772a).
constexpr Rfc6229Vector kRfc6229[] = {
    {"0102030405",
     {{{0, "b2396305f03dc027ccc3524a0a1118a8"},
       {16, "6982944f18fc82d589c403a47a0d0919"},
       {240, "28cb1132c96ce286421dcaadb8b69eae"},
       {256, "1cfcf62b03eddb641d77dfcf7f8d8c93"},
       {496, "42b7d0cdd918a8a33dd51781c81f4041"},
       {512, "6459844432a7da923cfb3eb4980661f6"},
       {752, "ec10327bde2beefd18f9277680457e22"},
       {768, "eb62638d4f0ba1fe9fca20e05bf8ff2b"},
       {1008, "45129048e6a0ed0b56b490338f078da5"},
       {1024, "30abbcc7c20b01609f23ee2d5f6bb7df"},
       {1520, "3294f744d8f9790507e70f62e5bbceea"},
       {1536, "d8729db41882259bee4f825325f5a130"},
       {2032, "1eb14a0c13b3bf47fa2a0ba93ad45b8b"},
       {2048, "cc582f8ba9f265e2b1be9112e975d2d7"},
       {3056, "f2e30f9bd102ecbf75aaade9bc35c43c"},
       {3072, "ec0e11c479dc329dc8da7968fe965681"},
       {4080, "068326a2118416d21f9d04b2cd1ca050"},
       {4096, "ff25b58995996707e51fbdf08b34d875"}}}},
    {"01020304050607",
     {{{0, "293f02d47f37c9b633f2af5285feb46b"},
       {16, "e620f1390d19bd84e2e0fd752031afc1"},
       {240, "914f02531c9218810df60f67e338154c"},
       {256, "d0fdb583073ce85ab83917740ec011d5"},
       {496, "75f81411e871cffa70b90c74c592e454"},
       {512, "0bb87202938dad609e87a5a1b079e5e4"},
       {752, "c2911246b612e7e7b903dfeda1dad866"},
       {768, "32828f91502b6291368de8081de36fc2"},
       {1008, "f3b9a7e3b297bf9ad804512f9063eff1"},
       {1024, "8ecb67a9ba1f55a5a067e2b026a3676f"},
       {1520, "d2aa902bd42d0d7cfd340cd45810529f"},
       {1536, "78b272c96e42eab4c60bd914e39d06e3"},
       {2032, "f4332fd31a079396ee3cee3f2a4ff049"},
       {2048, "05459781d41fda7f30c1be7e1246c623"},
       {3056, "adfd3868b8e51485d5e610017e3dd609"},
       {3072, "ad26581c0c5be45f4cea01db2f3805d5"},
       {4080, "f3172ceffc3b3d997c85ccd5af1a950c"},
       {4096, "e74b0b9731227fd37c0ec08a47ddd8b8"}}}},
    {"0102030405060708",
     {{{0, "97ab8a1bf0afb96132f2f67258da15a8"},
       {16, "8263efdb45c4a18684ef87e6b19e5b09"},
       {240, "9636ebc9841926f4f7d1f362bddf6e18"},
       {256, "d0a990ff2c05fef5b90373c9ff4b870a"},
       {496, "73239f1db7f41d80b643c0c52518ec63"},
       {512, "163b319923a6bdb4527c626126703c0f"},
       {752, "49d6c8af0f97144a87df21d91472f966"},
       {768, "44173a103b6616c5d5ad1cee40c863d0"},
       {1008, "273c9c4b27f322e4e716ef53a47de7a4"},
       {1024, "c6d0e7b226259fa9023490b26167ad1d"},
       {1520, "1fe8986713f07c3d9ae1c163ff8cf9d3"},
       {1536, "8369e1a965610be887fbd0c79162aafb"},
       {2032, "0a0127abb44484b9fbef5abcae1b579f"},
       {2048, "c2cdadc6402e8ee866e1f37bdb47e42c"},
       {3056, "26b51ea37df8e1d6f76fc3b66a7429b3"},
       {3072, "bc7683205d4f443dc1f29dda3315c87b"},
       {4080, "d5fa5a3469d29aaaf83d23589db8c85b"},
       {4096, "3fb46e2c8f0f068edce8cdcd7dfc5862"}}}},
    {"0102030405060708090a",
     {{{0, "ede3b04643e586cc907dc21851709902"},
       {16, "03516ba78f413beb223aa5d4d2df6711"},
       {240, "3cfd6cb58ee0fdde640176ad0000044d"},
       {256, "48532b21fb6079c9114c0ffd9c04a1ad"},
       {496, "3e8cea98017109979084b1ef92f99d86"},
       {512, "e20fb49bdb337ee48b8d8dc0f4afeffe"},
       {752, "5c2521eacd7966f15e056544bea0d315"},
       {768, "e067a7031931a246a6c3875d2f678acb"},
       {1008, "a64f70af88ae56b6f87581c0e23e6b08"},
       {1024, "f449031de312814ec6f319291f4a0516"},
       {1520, "bdae85924b3cb1d0a2e33a30c6d79599"},
       {1536, "8a0feddbac865a09bcd127fb562ed60a"},
       {2032, "b55a0a5b51a12a8be34899c3e047511a"},
       {2048, "d9a09cea3ce75fe39698070317a71339"},
       {3056, "552225ed1177f44584ac8cfa6c4eb5fc"},
       {3072, "7e82cbabfc95381b080998442129c2f8"},
       {4080, "1f135ed14ce60a91369d2322bef25e3c"},
       {4096, "08b6be45124a43e2eb77953f84dc8553"}}}},
    {"0102030405060708090a0b0c0d0e0f10",
     {{{0, "9ac7cc9a609d1ef7b2932899cde41b97"},
       {16, "5248c4959014126a6e8a84f11d1a9e1c"},
       {240, "065902e4b620f6cc36c8589f66432f2b"},
       {256, "d39d566bc6bce3010768151549f3873f"},
       {496, "b6d1e6c4a5e4771cad79538df295fb11"},
       {512, "c68c1d5c559a974123df1dbc52a43b89"},
       {752, "c5ecf88de897fd57fed301701b82a259"},
       {768, "eccbe13de1fcc91c11a0b26c0bc8fa4d"},
       {1008, "e7a72574f8782ae26aabcf9ebcd66065"},
       {1024, "bdf0324e6083dcc6d3cedd3ca8c53c16"},
       {1520, "b40110c4190b5622a96116b0017ed297"},
       {1536, "ffa0b514647ec04f6306b892ae661181"},
       {2032, "d03d1bc03cd33d70dff9fa5d71963ebd"},
       {2048, "8a44126411eaa78bd51e8d87a8879bf5"},
       {3056, "fabeb76028ade2d0e48722e46c4615a3"},
       {3072, "c05d88abd50357f935a63c59ee537623"},
       {4080, "ff38265c1642c1abe8d3c2fe5e572bf8"},
       {4096, "a36a4c301ae8ac13610ccbc12256cacc"}}}},
    {"0102030405060708090a0b0c0d0e0f101112131415161718",
     {{{0, "0595e57fe5f0bb3c706edac8a4b2db11"},
       {16, "dfde31344a1af769c74f070aee9e2326"},
       {240, "b06b9b1e195d13d8f4a7995c4553ac05"},
       {256, "6bd2378ec341c9a42f37ba79f88a32ff"},
       {496, "e70bce1df7645adb5d2c4130215c3522"},
       {512, "9a5730c7fcb4c9af51ffda89c7f1ad22"},
       {752, "0485055fd4f6f0d963ef5ab9a5476982"},
       {768, "591fc66bcda10e452b03d4551f6b62ac"},
       {1008, "2753cc83988afa3e1688a1d3b42c9a02"},
       {1024, "93610d523d1d3f0062b3c2a3bbc7c7f0"},
       {1520, "96c248610aadedfeaf8978c03de8205a"},
       {1536, "0e317b3d1c73b9e9a4688f296d133a19"},
       {2032, "bdf0e6c3cca5b5b9d533b69c56ada120"},
       {2048, "88a218b6e2ece1e6246d44c759d19b10"},
       {3056, "6866397e95c140534f94263421006e40"},
       {3072, "32cb0a1e9542c6b3b8b398abc3b0f1d5"},
       {4080, "29a0b8aed54a132324c62e423f54b4c8"},
       {4096, "3cb0f3b5020a98b82af9fe154484a168"}}}},
    {"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
     {{{0, "eaa6bd25880bf93d3f5d1e4ca2611d91"},
       {16, "cfa45c9f7e714b54bdfa80027cb14380"},
       {240, "114ae344ded71b35f2e60febad727fd8"},
       {256, "02e1e7056b0f623900496422943e97b6"},
       {496, "91cb93c787964e10d9527d999c6f936b"},
       {512, "49b18b42f8e8367cbeb5ef104ba1c7cd"},
       {752, "87084b3ba700bade955610672745b374"},
       {768, "e7a7b9e9ec540d5ff43bdb12792d1b35"},
       {1008, "c799b596738f6b018c76c74b1759bd90"},
       {1024, "7fec5bfd9f9b89ce6548309092d7e958"},
       {1520, "40f250b26d1f096a4afd4c340a588815"},
       {1536, "3e34135c79db010200767651cf263073"},
       {2032, "f656abccf88dd827027b2ce917d464ec"},
       {2048, "18b62503bfbc077fbabb98f20d98ab34"},
       {3056, "8aed95ee5b0dcbfbef4eb21d3a3f52f9"},
       {3072, "625a1ab00ee39a5327346bddb01a9c18"},
       {4080, "a13a7c79c7e119b5ab0296ab28c300b9"},
       {4096, "f3e4c0a2e02d1d01f7f0a74618af2b48"}}}},
    {"833222772a",
     {{{0, "80ad97bdc973df8a2e879e92a497efda"},
       {16, "20f060c2f2e5126501d3d4fea10d5fc0"},
       {240, "faa148e99046181fec6b2085f3b20ed9"},
       {256, "f0daf5bab3d596839857846f73fbfe5a"},
       {496, "1c7e2fc4639232fe297584b296996bc8"},
       {512, "3db9b249406cc8edffac55ccd322ba12"},
       {752, "e4f9f7e0066154bbd125b745569bc897"},
       {768, "75d5ef262b44c41a9cf63ae14568e1b9"},
       {1008, "6da453dbf81e82334a3d8866cb50a1e3"},
       {1024, "7828d074119cab5c22b294d7a9bfa0bb"},
       {1520, "adb89cea9a15fbe617295bd04b8ca05c"},
       {1536, "6251d87fd4aaae9a7e4ad5c217d3f300"},
       {2032, "e7119bd6dd9b22afe8f89585432881e2"},
       {2048, "785b60fd7ec4e9fcb6545f350d660fab"},
       {3056, "afecc037fdb7b0838eb3d70bcd268382"},
       {3072, "dbc1a7b49d57358cc9fa6d61d73b7cf0"},
       {4080, "6349d126a37afcba89794f9804914fdc"},
       {4096, "bf42c3018c2f7c66bfde524975768115"}}}},
};

constexpr size_t kRfc6229Span = 4096 + 16;

Rc4 Keyed(const Bytes& key) {
  Rc4 r;
  EXPECT_TRUE(r.SetKey(key));
  return r;
}

void ExpectRfc6229(const Rfc6229Vector& v, const Bytes& stream) {
  ASSERT_EQ(stream.size(), kRfc6229Span);
  for (const auto& at : v.stream) {
    Bytes want = Hex(at.hex);
    Bytes got(stream.begin() + static_cast<ptrdiff_t>(at.offset),
              stream.begin() + static_cast<ptrdiff_t>(at.offset + 16));
    EXPECT_EQ(got, want) << "key " << v.key << " offset " << at.offset;
  }
}

TEST(Rc4, Rfc6229OneCall) {
  for (const auto& v : kRfc6229) {
    Rc4 r = Keyed(Hex(v.key));
    Bytes stream(kRfc6229Span, 0);
    EXPECT_TRUE(r.Process(stream));
    ExpectRfc6229(v, stream);
  }
}

TEST(Rc4, Rfc6229InOddPieces) {
  // The state carries over between calls: pieces of 1..13 octets (most not
  // a multiple of the 8-octet word) give the same keystream.
  for (const auto& v : kRfc6229) {
    Rc4 r = Keyed(Hex(v.key));
    Bytes stream(kRfc6229Span, 0);
    size_t pos = 0;
    for (size_t piece = 1; pos < stream.size(); piece = piece % 13 + 1) {
      size_t n = std::min(piece, stream.size() - pos);
      EXPECT_TRUE(r.Process(std::span(stream.data() + pos, n)));
      pos += n;
    }
    ExpectRfc6229(v, stream);
  }
}

// Key set-ups two at a time (Rc4SetKeyMulti) give the RFC 6229 streams of
// every key, for an odd count too (the last one alone); an invalid key
// leaves only its own state unkeyed.
TEST(Rc4, Rfc6229KeysSetUpInLockstep) {
  for (size_t count : {size_t{1}, size_t{2}, size_t{3}, std::size(kRfc6229)}) {
    SCOPED_TRACE(count);
    std::vector<Rc4> states(count + 1);
    std::vector<Bytes> keys;
    std::vector<Rc4KeyJob> jobs;
    for (size_t k = 0; k < count; ++k) keys.push_back(Hex(kRfc6229[k].key));
    for (size_t k = 0; k < count; ++k) {
      jobs.push_back({&states[k], keys[k]});
      if (k == 0) jobs.push_back({nullptr, keys[k]});  // skipped
    }
    Bytes too_long(kRc4MaxKeyLength + 1, 1);
    jobs.push_back({&states[count], too_long});
    EXPECT_FALSE(Rc4SetKeyMulti(jobs));
    EXPECT_FALSE(states[count].keyed());
    for (size_t k = 0; k < count; ++k) {
      ASSERT_TRUE(states[k].keyed());
      Bytes stream(kRfc6229Span, 0);
      EXPECT_TRUE(states[k].Process(stream));
      ExpectRfc6229(kRfc6229[k], stream);
    }
  }
}

// Random key lengths 1..256 in lockstep against SetKey one by one, with
// invalid keys and null states between a waiting key and its partner.
TEST(Rc4, LockstepKeySetUpMatchesSetKeyForAnyLength) {
  std::mt19937 rng(1978);
  for (int round = 0; round < 40; ++round) {
    size_t count = 1 + rng() % 9;
    std::vector<Rc4> multi(count), single(count);
    std::vector<Bytes> keys;
    for (size_t k = 0; k < count; ++k) {
      size_t len = rng() % 5 == 0 ? (rng() % 2 ? 0 : kRc4MaxKeyLength + 1) : 1 + rng() % 256;
      Bytes key(len);
      for (auto& b : key) b = static_cast<uint8_t>(rng());
      keys.push_back(std::move(key));
    }
    std::vector<Rc4KeyJob> jobs;
    bool all = true;
    for (size_t k = 0; k < count; ++k) {
      jobs.push_back({&multi[k], keys[k]});
      if (rng() % 4 == 0) jobs.push_back({nullptr, keys[k]});
      all &= single[k].SetKey(keys[k]);
    }
    EXPECT_EQ(Rc4SetKeyMulti(jobs), all);
    for (size_t k = 0; k < count; ++k) {
      ASSERT_EQ(multi[k].keyed(), single[k].keyed()) << round << "/" << k;
      if (!single[k].keyed()) continue;
      Bytes a(64, 0), b(64, 0);
      EXPECT_TRUE(multi[k].Process(a));
      EXPECT_TRUE(single[k].Process(b));
      ASSERT_EQ(a, b) << round << "/" << k << " key length " << keys[k].size();
    }
  }
}

TEST(Rc4, Rfc6229AllKeysInOneBatch) {
  for (size_t lanes : {1, 2, 3, 4, 8}) {
    std::vector<Rc4> states;
    std::vector<Bytes> streams;
    for (const auto& v : kRfc6229) {
      states.push_back(Keyed(Hex(v.key)));
      streams.emplace_back(kRfc6229Span, 0);
    }
    std::vector<Rc4Job> jobs;
    for (size_t k = 0; k < states.size(); ++k) {
      jobs.push_back({&states[k], streams[k], streams[k]});
    }
    EXPECT_TRUE(Rc4ProcessMultiWith(jobs, lanes));
    for (size_t k = 0; k < states.size(); ++k) ExpectRfc6229(kRfc6229[k], streams[k]);
  }
}

// OpenSSL's RC4, the reference the MPPE code uses today.
class OpenSslRc4 {
 public:
  explicit OpenSslRc4(const Bytes& key) {
    cipher_ = EVP_CIPHER_fetch(aaa::LegacyCryptoContext(), "RC4", nullptr);
    ctx_ = EVP_CIPHER_CTX_new();
    ok_ = cipher_ && ctx_ && EVP_CipherInit_ex2(ctx_, cipher_, nullptr, nullptr, 1, nullptr) == 1 &&
          EVP_CIPHER_CTX_set_key_length(ctx_, static_cast<int>(key.size())) == 1 &&
          EVP_CipherInit_ex2(ctx_, nullptr, key.data(), nullptr, 1, nullptr) == 1;
  }
  ~OpenSslRc4() {
    EVP_CIPHER_CTX_free(ctx_);
    EVP_CIPHER_free(cipher_);
  }
  bool ok() const { return ok_; }
  Bytes Crypt(const Bytes& in) {
    Bytes out(in.size());
    int n = 0;
    if (!in.empty()) {
      EXPECT_EQ(EVP_CipherUpdate(ctx_, out.data(), &n, in.data(), static_cast<int>(in.size())), 1);
    }
    EXPECT_EQ(static_cast<size_t>(n), in.size());
    return out;
  }

 private:
  EVP_CIPHER* cipher_ = nullptr;
  EVP_CIPHER_CTX* ctx_ = nullptr;
  bool ok_ = false;
};

Bytes Random(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

TEST(Rc4, MatchesOpenSsl) {
  std::mt19937 rng(6229);
  for (int round = 0; round < 200; ++round) {
    size_t key_len = round < 100 ? std::uniform_int_distribution<size_t>(1, 32)(rng)
                                 : std::uniform_int_distribution<size_t>(1, 256)(rng);
    if (round == 0) key_len = 256;
    Bytes key = Random(rng, key_len);
    OpenSslRc4 ref(key);
    ASSERT_TRUE(ref.ok()) << "OpenSSL RC4 unavailable";
    Rc4 ours = Keyed(key);
    // Several packets through the same state: lengths 0, odd, and around
    // the 8-octet word and 1400-octet packet sizes.
    for (int packet = 0; packet < 6; ++packet) {
      size_t len = std::uniform_int_distribution<size_t>(0, 1500)(rng);
      if (packet == 0) len = 0;
      if (packet == 1) len = 1 + 2 * std::uniform_int_distribution<size_t>(0, 10)(rng);
      Bytes in = Random(rng, len);
      Bytes out(len, 0xEE);
      EXPECT_TRUE(ours.Process(in, out));  // separate buffers
      EXPECT_EQ(out, ref.Crypt(in)) << "round " << round << " packet " << packet;
    }
  }
}

TEST(Rc4, InPlaceEqualsSeparateBuffers) {
  std::mt19937 rng(1);
  Bytes key = Random(rng, 16);
  Rc4 a = Keyed(key);
  Rc4 b = Keyed(key);
  Bytes data = Random(rng, 1403);
  Bytes out(data.size());
  EXPECT_TRUE(a.Process(data, out));
  EXPECT_TRUE(b.Process(data));
  EXPECT_EQ(data, out);
}

TEST(Rc4, DecryptIsEncrypt) {
  std::mt19937 rng(2);
  Bytes key = Random(rng, 16);
  Rc4 enc = Keyed(key);
  Rc4 dec = Keyed(key);
  Bytes plain = Random(rng, 1400);
  Bytes wire = plain;
  EXPECT_TRUE(enc.Process(wire));
  EXPECT_NE(wire, plain);
  EXPECT_TRUE(dec.Process(wire));
  EXPECT_EQ(wire, plain);
}

TEST(Rc4, BadKeysAndBuffersFailClosed) {
  Rc4 r;
  EXPECT_FALSE(r.keyed());
  Bytes data(10, 0x55);
  EXPECT_FALSE(r.Process(data));  // unkeyed
  EXPECT_EQ(data, Bytes(10, 0));

  EXPECT_FALSE(r.SetKey({}));
  EXPECT_FALSE(r.keyed());
  EXPECT_FALSE(r.SetKey(Bytes(257, 1)));
  EXPECT_FALSE(r.keyed());
  EXPECT_TRUE(r.SetKey(Bytes(256, 1)));
  EXPECT_TRUE(r.keyed());

  // Sizes differ: output zeroed, state not advanced.
  Rc4 ref = r;
  Bytes in(8, 0x11);
  Bytes out(9, 0x77);
  EXPECT_FALSE(r.Process(in, out));
  EXPECT_EQ(out, Bytes(9, 0));
  Bytes a(32, 0), b(32, 0);
  EXPECT_TRUE(r.Process(a));
  EXPECT_TRUE(ref.Process(b));
  EXPECT_EQ(a, b);

  // A failed SetKey forgets the old key.
  EXPECT_FALSE(r.SetKey({}));
  EXPECT_FALSE(r.Process(a));

  r.SetKey(Bytes{1, 2, 3});
  r.Clear();
  EXPECT_FALSE(r.keyed());
}

// Runs `jobs` (described by state index and length) through ProcessMulti
// and through one Process() per job on copies of the states, and compares
// the outputs and the states after (by the next 64 keystream octets).
void ExpectMultiMatchesSingles(size_t lanes, const std::vector<Bytes>& keys,
                               const std::vector<std::pair<size_t, size_t>>& spec,
                               std::mt19937& rng, bool in_place) {
  std::vector<Rc4> multi_states;
  std::vector<Rc4> single_states;
  for (const auto& k : keys) {
    multi_states.push_back(Keyed(k));
    single_states.push_back(Keyed(k));
  }
  std::vector<Bytes> inputs;
  for (const auto& [state, len] : spec) inputs.push_back(Random(rng, len));
  std::vector<Bytes> multi_out = inputs;
  std::vector<Rc4Job> jobs;
  for (size_t k = 0; k < spec.size(); ++k) {
    if (in_place) {
      jobs.push_back({&multi_states[spec[k].first], multi_out[k], multi_out[k]});
    } else {
      jobs.push_back({&multi_states[spec[k].first], inputs[k], multi_out[k]});
    }
  }
  EXPECT_TRUE(Rc4ProcessMultiWith(jobs, lanes));
  for (size_t k = 0; k < spec.size(); ++k) {
    Bytes single = inputs[k];
    EXPECT_TRUE(single_states[spec[k].first].Process(single));
    EXPECT_EQ(multi_out[k], single) << "lanes " << lanes << " job " << k;
  }
  for (size_t s = 0; s < keys.size(); ++s) {
    Bytes a(64, 0), b(64, 0);
    multi_states[s].Process(a);
    single_states[s].Process(b);
    EXPECT_EQ(a, b) << "state " << s << " after the batch, lanes " << lanes;
  }
}

TEST(Rc4, MultiMatchesSinglesUnequalLengths) {
  std::mt19937 rng(42);
  for (size_t lanes : {1, 2, 3, 4, 5, 8}) {
    for (size_t count : {1, 2, 3, 5, 7, 9, 13, 17}) {
      std::vector<Bytes> keys;
      for (size_t s = 0; s < count; ++s) keys.push_back(Random(rng, s % 2 ? 8 : 16));
      std::vector<std::pair<size_t, size_t>> spec;
      for (size_t s = 0; s < count; ++s) {
        size_t len = std::uniform_int_distribution<size_t>(0, 1600)(rng);
        if (s == 0) len = 0;
        if (s == 1) len = 1;
        if (s == 2) len = 7;
        spec.push_back({s, len});
      }
      ExpectMultiMatchesSingles(lanes, keys, spec, rng, count % 2 == 0);
    }
  }
}

TEST(Rc4, MultiKeepsOrderOfOneStatesJobs) {
  // A batch holds several packets of one session: they must take the
  // keystream in batch order, interleaved with other sessions' packets.
  std::mt19937 rng(7);
  std::vector<Bytes> keys;
  for (int s = 0; s < 5; ++s) keys.push_back(Random(rng, 16));
  std::vector<std::pair<size_t, size_t>> spec = {{0, 100},  {0, 1400}, {0, 3}, {1, 1400}, {1, 9},
                                                 {2, 64},   {0, 500},  {3, 1}, {3, 0},    {3, 77},
                                                 {4, 1400}, {2, 2},    {1, 1}, {0, 1400}};
  for (size_t lanes : {1, 2, 4, 8}) ExpectMultiMatchesSingles(lanes, keys, spec, rng, true);
}

TEST(Rc4, MultiBeyondTheLookAheadWindow) {
  // 100 jobs of one state, then others: the others wait until they enter
  // the window, and everything still matches.
  std::mt19937 rng(8);
  std::vector<Bytes> keys;
  for (int s = 0; s < 4; ++s) keys.push_back(Random(rng, 16));
  std::vector<std::pair<size_t, size_t>> spec;
  for (int k = 0; k < 100; ++k) spec.push_back({0, static_cast<size_t>(k % 17)});
  for (int k = 0; k < 30; ++k) spec.push_back({static_cast<size_t>(k % 4), 40});
  for (size_t lanes : {2, 4, 8}) ExpectMultiMatchesSingles(lanes, keys, spec, rng, false);
}

TEST(Rc4, MultiRandomBatches) {
  std::mt19937 rng(99);
  for (int round = 0; round < 60; ++round) {
    size_t states = std::uniform_int_distribution<size_t>(1, 12)(rng);
    size_t count = std::uniform_int_distribution<size_t>(0, 40)(rng);
    std::vector<Bytes> keys;
    for (size_t s = 0; s < states; ++s) {
      keys.push_back(Random(rng, std::uniform_int_distribution<size_t>(1, 40)(rng)));
    }
    std::vector<std::pair<size_t, size_t>> spec;
    for (size_t k = 0; k < count; ++k) {
      spec.push_back({std::uniform_int_distribution<size_t>(0, states - 1)(rng),
                      std::uniform_int_distribution<size_t>(0, 300)(rng)});
    }
    size_t lanes = std::uniform_int_distribution<size_t>(1, 8)(rng);
    ExpectMultiMatchesSingles(lanes, keys, spec, rng, round % 2 == 0);
  }
}

TEST(Rc4, MultiFailsInvalidJobsOnly) {
  std::mt19937 rng(5);
  Bytes key = Random(rng, 16);
  Rc4 good = Keyed(key);
  Rc4 ref = Keyed(key);
  Rc4 unkeyed;
  Bytes a(100, 0x33), b(50, 0x44), c(20, 0x55), d(30, 0x66), d_out(31, 0x77);
  Bytes want = a;
  ref.Process(want);
  std::vector<Rc4Job> jobs = {{nullptr, b, b}, {&unkeyed, c, c}, {&good, a, a}, {&good, d, d_out}};
  EXPECT_FALSE(Rc4ProcessMulti(jobs));
  EXPECT_EQ(a, want);
  EXPECT_EQ(b, Bytes(50, 0));
  EXPECT_EQ(c, Bytes(20, 0));
  EXPECT_EQ(d_out, Bytes(31, 0));
  EXPECT_EQ(d, Bytes(30, 0x66));  // input untouched
  EXPECT_TRUE(Rc4ProcessMulti({}));
}

}  // namespace
}  // namespace mlppp::ppp::ccp
