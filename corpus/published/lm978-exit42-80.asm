; lm978's 80-byte exit(42), rebuilt from the hex dump published in tmp.0ut vol. 3, article 22,
; "Cramming a Tiny Program into a Tiny ELF File: A Case Study" (https://tmpout.sh/3/22.html,
; introduction). golf's own reading of the published bytes for `nasm -f bin` / `golf asm`.
; The article notes this 80-byte size was known before (Brian Raiter and others).
;
; ET_EXEC with the program header at offset 0x18: e_entry doubles as p_type/p_flags, so the
; entry is 0x100000001, offset 1, where "ELF" are three REX prefixes of the first instruction.
BITS 64
org 0x100000000
        db      0x7f
        db      "ELF"                   ; REX prefixes of the next instruction
        mov     al, 231                 ; exit_group
        mov     dil, 42                 ; status 42
        syscall
        times 5 db 0                    ; rest of e_ident
        dw      2                       ; e_type ET_EXEC
        dw      62                      ; e_machine
        dd      0                       ; e_version
        dd      1                       ; e_entry low          = p_type: PT_LOAD
        dd      1                       ; e_entry high         = p_flags: X
        dq      0x18                    ; e_phoff              = p_offset
        dq      0x100000018             ; e_shoff              = p_vaddr
        dd      0                       ; e_flags              = p_paddr (ignored)
        dw      0                       ; e_ehsize
        dw      56                      ; e_phentsize
        dw      1                       ; e_phnum              = p_filesz: 1
        dw      0, 0, 0                 ; e_shentsize, e_shnum, e_shstrndx
        dq      1                       ; p_memsz: 1
        dq      0                       ; p_align (ignored for ET_EXEC)
