#!/bin/sh
# Prints golf's assembler test corpus: one "BITS<TAB>instruction" per line, covering every form of
# the instruction table in both modes where valid, with varied operand sizes and memory shapes.
# scripts/nasm-expected.sh turns it into corpus/asm/expected.tsv with nasm's bytes.
set -eu
l() { printf '%s\t%s\n' "$1" "$2"; }
MEM64='[rax] [rsp] [rbp] [r12] [r13] [rax+8] [rbx-0x80] [rcx+0x7f] [rdx+0x1000] [rax+rbx] [rax+rbx*2+1] [rsi+rdi*4-8] [r8+r9*8+0x12345] [rbx*8] [rcx*4+0x10] [rax*2] [rax*3] [rbp+rax] [0x1000] [r13+r14] [eax] [esp+4] [ebx+ecx*2]'
MEM32='[eax] [esp] [ebp] [eax+8] [ebx-0x80] [ecx+0x1000] [eax+ebx] [esi+edi*4-8] [ebx*8] [eax*3] [0x1000] [ebp+eax]'
for m in $MEM64; do l 64 "mov eax, $m"; done
for m in $MEM64; do l 64 "mov $m, rcx"; done
for m in $MEM32; do l 32 "mov eax, $m"; done
for m in $MEM32; do l 32 "mov $m, cl"; done
l 64 'mov eax, [fs:rax]'; l 64 'mov rax, [gs:0x28]'; l 32 'mov eax, [fs:eax]'
l 64 'mov eax, [rel $+0x100]'; l 64 'lea rsi, [rel $]'; l 64 'mov byte [rel $+8], 1'
# mov, all forms and sizes
for r in al cl bl ah dh spl sil r8b r15b; do l 64 "mov $r, 0x12"; done
for r in ax cx r9w; do l 64 "mov $r, 0x1234"; done
for r in eax ecx edi r8d r15d; do l 64 "mov $r, 0x12345678"; done
for v in 1 0 -1 0x7fffffff 0x80000000 0xffffffff -0x80000000 0x100000000 0x123456789abcdef0; do l 64 "mov rax, $v"; l 64 "mov r11, $v"; done
l 64 'mov eax, ebx'; l 64 'mov rax, rbx'; l 64 'mov ax, bx'; l 64 'mov al, bl'; l 64 'mov ah, bl'; l 64 'mov sil, dil'; l 64 'mov r8, r9'
l 64 'mov byte [rax], 1'; l 64 'mov word [rax], 1'; l 64 'mov dword [rax], 1'; l 64 'mov qword [rax], -1'
l 64 'mov al, [qword 0x1000]'; l 64 'mov eax, [qword 0x1000]'; l 64 'mov [qword 0x1000], rax'; l 64 'mov [qword 0x1000], ax'
l 32 'mov al, [0x1000]'; l 32 'mov eax, [0x2000]'; l 32 'mov [0x1000], ax'; l 32 'mov [0x3000], eax'
l 32 'mov eax, 1'; l 32 'mov bl, 0xff'; l 32 'mov ax, -1'; l 32 'mov eax, ebx'; l 32 'mov dword [eax], 5'
for i in 'movzx eax, bl' 'movzx eax, byte [rax]' 'movzx ecx, word [rbx]' 'movzx rax, bl' 'movzx ax, bl' 'movzx r8d, r9w' 'movsx eax, bl' 'movsx rax, word [rsp]' 'movsx cx, dl' 'movsxd rax, ebx' 'movsxd r8, dword [rax]' 'lea eax, [rax+rbx]' 'lea rax, [rbx*2]' 'lea r9, [r10+8]' 'lea ax, [rax+1]' 'lea eax, [eax+1]'; do l 64 "$i"; done
for i in 'movzx eax, bl' 'movzx eax, word [eax]' 'movsx ebx, byte [esp]' 'lea eax, [ebx*4+8]'; do l 32 "$i"; done
for i in 'xchg eax, ecx' 'xchg ecx, eax' 'xchg ebx, ecx' 'xchg rax, rbx' 'xchg ax, bx' 'xchg al, bl' 'xchg [rax], ebx' 'xchg ebx, [rax]' 'xchg r8d, eax' 'xchg r8d, r9d' 'xchg eax, eax' 'xchg cl, [rbx]'; do l 64 "$i"; done
l 32 'xchg eax, ebx'; l 32 'xchg edx, ecx'
for i in 'push rax' 'push r12' 'push ax' 'push 1' 'push -128' 'push 0x80' 'push 0x12345678' 'push word 1' 'push qword [rax]' 'push word [rbx]' 'pop rbx' 'pop r15' 'pop cx' 'pop qword [rsp+8]'; do l 64 "$i"; done
for i in 'push eax' 'push ax' 'push 1' 'push 0x1000' 'push dword [eax]' 'pop edi' 'pop dword [eax]'; do l 32 "$i"; done
# the ALU group
for op in add or adc sbb and sub xor cmp; do
  l 64 "$op eax, ebx"; l 64 "$op al, bl"; l 64 "$op rax, [rbx]"; l 64 "$op [rbx], cx"; l 64 "$op r8b, [r9]"
  l 64 "$op al, 1"; l 64 "$op eax, 1"; l 64 "$op eax, 0x100"; l 64 "$op ax, 1"; l 64 "$op ax, 0x80"; l 64 "$op rax, -2"
  l 64 "$op ecx, 0x1000"; l 64 "$op dword [rax], 0x7f"; l 64 "$op byte [rax+1], 0xff"; l 64 "$op qword [rsp], 0x1000"
  l 32 "$op eax, ebx"; l 32 "$op ecx, 5"; l 32 "$op eax, 0x12345"; l 32 "$op byte [eax], 1"
done
l 64 'lock add [rax], eax'; l 64 'lock xor byte [rbx], 1'; l 64 'lock add word [fs:eax], 1'; l 32 'lock sub [eax], ecx'
for i in 'test eax, ebx' 'test ebx, ecx' 'test [rax], ebx' 'test ebx, [rax]' 'test al, 1' 'test eax, 1' 'test ax, 1' 'test rax, -1' 'test bl, 1' 'test dword [rax], 0x100' 'test r9, r10'; do l 64 "$i"; done
l 32 'test eax, eax'; l 32 'test cl, 0x80'
for op in inc dec neg not mul div idiv; do
  l 64 "$op eax"; l 64 "$op al"; l 64 "$op rbx"; l 64 "$op r10w"; l 64 "$op dword [rax]"; l 64 "$op byte [rbx+4]"
  l 32 "$op ecx"; l 32 "$op word [eax]"
done
for i in 'imul ebx' 'imul eax, ebx' 'imul rax, [rbx]' 'imul eax, 3' 'imul eax, ebx, 3' 'imul eax, ebx, 300' 'imul ax, bx, -1' 'imul r8, r9, 0x1000' 'imul ecx, [rax], 5'; do l 64 "$i"; done
l 32 'imul eax, ecx, 7'; l 32 'imul edx'
for op in rol ror rcl rcr shl sal shr sar; do
  l 64 "$op eax, 1"; l 64 "$op eax, cl"; l 64 "$op eax, 3"; l 64 "$op al, 1"; l 64 "$op rbx, 5"; l 64 "$op word [rax], cl"; l 64 "$op byte [rbx], 7"
  l 32 "$op ecx, 2"
done
for i in 'shld eax, ebx, 3' 'shld rax, rbx, cl' 'shrd eax, ebx, 3' 'shrd [rax], cx, cl' 'shrd r8, r9, 63'; do l 64 "$i"; done
for i in cbw cwde cdqe cwd cdq cqo; do l 64 "$i"; done
for i in cbw cwde cwd cdq; do l 32 "$i"; done
# control flow, relative to this line's own address ($)
for i in 'jmp $' 'jmp $+2' 'jmp $+0x81' 'jmp $-0x7e' 'jmp $+0x1000' 'jmp short $+0x10' 'jmp near $+0x10' 'jmp rax' 'jmp [rax]' 'jmp qword [rbx+8]' 'jmp r11' 'call $+5' 'call $-0x1000' 'call rax' 'call [rbx]' 'call qword [rsp+16]' 'ret' 'ret 8' 'ret 0' 'loop $' 'loope $-0x10' 'loopne $+0x20' 'loopz $' 'loopnz $' 'jrcxz $' 'jecxz $'; do l 64 "$i"; done
for cc in o no b c nae ae nb nc e z ne nz be na a nbe s ns p pe np po l nge ge nl le ng g nle; do l 64 "j$cc \$+0x10"; l 64 "j$cc \$+0x200"; l 64 "set$cc al"; l 64 "cmov$cc eax, ebx"; done
for cc in e ne l g; do l 32 "j$cc \$-0x20"; l 32 "j$cc \$+0x1000"; l 32 "set$cc byte [eax]"; l 32 "cmov$cc ecx, [eax]"; done
for i in 'sete r8b' 'setne byte [rax]' 'cmovz rax, [rbx]' 'cmovnz ax, cx'; do l 64 "$i"; done
for i in 'jmp $+0x100' 'jmp eax' 'jmp [eax]' 'call $+0x1000' 'call eax' 'ret' 'ret 4' 'loop $' 'jecxz $+0x10' 'jcxz $'; do l 32 "$i"; done
# bits
for op in bt bts btr btc; do l 64 "$op eax, ebx"; l 64 "$op [rax], rcx"; l 64 "$op eax, 3"; l 64 "$op qword [rbx], 63"; l 32 "$op ecx, 7"; done
for i in 'bsf eax, ebx' 'bsr rax, [rbx]' 'bsf cx, dx' 'bswap eax' 'bswap rax' 'bswap r9'; do l 64 "$i"; done
l 32 'bsr eax, ecx'; l 32 'bswap edi'
# misc
for i in xlatb xlat lahf sahf pushf pushfq popf popfq pushfw popfw clc stc cmc cld std nop pause int3 ud2 hlt syscall cpuid rdtsc 'int 0x80' 'int 3' 'nop eax' 'nop dword [rax]' 'nop word [rax+rax+0]' 'nop rax'; do l 64 "$i"; done
for i in pushf pushfd popf popfd lahf xlatb nop 'int 0x80' cpuid rdtsc 'nop ecx'; do l 32 "$i"; done
for s in movs cmps stos lods scas; do
  for z in b w d q; do l 64 "$s$z"; done
  l 32 "${s}b"; l 32 "${s}d"
done
for i in 'rep movsb' 'rep stosq' 'rep lodsd' 'repe cmpsb' 'repne scasb' 'repz cmpsq' 'repnz scasd' 'rep stosw' 'fs lodsb'; do l 64 "$i"; done
l 32 'rep movsd'; l 32 'repne scasb'
# address-size overrides nasm writes as words (a32 where no operand shows the size), strict qword immediates, 64-bit offsets above 2^53
for i in 'a32 stosb' 'a32 lodsq' 'a32 rep movsb' 'a32 loop $' 'a32 jecxz $' 'a32 xlatb' 'a32 scasd' 'mov rax, strict qword 5' 'mov r9, strict qword -1' 'push strict qword 5' 'mov rax, strict dword 5' 'mov al, [qword 0x123456789abcdef0]' 'mov [qword 0xfedcba9876543210], rax'; do l 64 "$i"; done
for i in 'a16 stosb' 'a16 lodsd' 'a16 loop $' 'a16 rep movsd'; do l 32 "$i"; done
for i in 'loopne $,ecx' 'loop $,rcx' 'loope $+0x10,ecx' 'a32 mov al,[0x82812404]' 'a32 mov [0xfffffff0], eax' 'a32 mov ecx, [0x10]'; do l 64 "$i"; done
l 32 'loop $,cx'; l 32 'loopne $,ecx'
# operand-size words where they name the size the instruction has (golf refuses the others: test/asm/errors.test.ts)
for i in 'o16 mov ax, 1' 'o32 mov eax, 1' 'o64 add rax, 1' 'o16 add ax, 1' 'o32 add eax, 0x80' 'o64 cdqe' 'o32 cwde' 'o16 cbw' 'o64 cqo' 'o64 stosq' 'o32 stosd' 'o16 stosw' 'o64 lea rax, [rbx]' 'o64 movsxd rax, ebx' 'o16 movzx ax, bl' 'o64 xchg rax, rbx' 'o64 inc rax' 'o64 imul rax, rbx, 3' 'o64 bswap rax' 'o64 shl rax, 1' 'o64 bt rax, 3' 'o64 cmovz rax, rbx' 'o16 push 1' 'o16 push ax' 'o16 pop ax' 'o32 lodsb' 'o32 nop' 'o32 syscall' 'o32 int 0x80' 'o32 sete al' 'o32 setne byte [rax]' 'o16 rep movsw' 'o64 rep stosq' 'o64 mov rax, [qword 0x1000]'; do l 64 "$i"; done
for i in 'o32 mov eax, 1' 'o16 mov ax, 1' 'o32 ret' 'o16 ret' 'o32 push eax' 'o32 call eax' 'o32 jmp $+2' 'o32 cwde' 'o32 lodsb' 'o32 pusha' 'o32 nop' 'o32 inc eax' 'o16 inc ax'; do l 32 "$i"; done
