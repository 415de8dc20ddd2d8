; lm978's 86-byte "Hello, world!\n" with the string in one piece, rebuilt from the hex dump
; published in tmp.0ut vol. 3, article 22, "Cramming a Tiny Program into a Tiny ELF File: A Case
; Study" (https://tmpout.sh/3/22.html, section "A Simple Challenge, and a Straightforward
; Solution"). golf's own reading of the published bytes for `nasm -f bin` / `golf asm`.
;
; Program header at 0x18 (e_entry doubles as p_type/p_flags, so the entry is offset 1, after the
; 7f, where "ELF" are REX prefixes); the code hops between the header's free fields.
BITS 64
org 0
        db      0x7f
        db      "ELF"                   ; REX prefixes of the next instruction
        mov     al, 1                   ; write
        pop     rdi                     ; fd = argc = 1
        lea     rsi, [rel message]
        jmp     short part2
        dw      3                       ; e_type ET_DYN
        dw      62                      ; e_machine
part2:                                  ; e_version: free
        mov     dl, 14
        jmp     short part3
        dd      1                       ; e_entry low          = p_type: PT_LOAD
        dd      1                       ; e_entry high         = p_flags: X
        dq      0x18                    ; e_phoff              = p_offset
        dq      0x100000018             ; e_shoff              = p_vaddr
part3:                                  ; e_flags, e_ehsize    = p_paddr (ignored)
        syscall                         ; write(1, message, 14)
        mov     al, 231                 ; exit_group
        jmp     short part4
        dw      56                      ; e_phentsize
        dw      1                       ; e_phnum              = p_filesz low
part4:                                  ; e_shentsize ...      = p_filesz: 0x50fff310001
        xor     edi, edi
        syscall
        dw      0
        dw      1                       ; p_memsz, equal to p_filesz (its code bytes are not run)
        xor     edi, edi
        syscall
        dw      0
message:
        db      "Hello, world!", 10
