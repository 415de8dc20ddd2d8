; lm978's 73-byte exit(42), rebuilt from the hex dump published in tmp.0ut vol. 3, article 22,
; "Cramming a Tiny Program into a Tiny ELF File: A Case Study" (https://tmpout.sh/3/22.html,
; introduction). golf's own reading of the published bytes for `nasm -f bin` / `golf asm`.
;
; ET_DYN with the program header at offset 0x0c; the entry is offset 0, where the magic's 7f 45
; is `jg` to 0x47, and a jump there comes back to the code in e_ident.
BITS 64
org 0
        jg      back                    ; 7f 45: the magic as a branch to 0x47
        db      "LF"
code:                                   ; e_ident[4..11]
        mov     al, 231                 ; exit_group
        mov     dil, 42                 ; status 42
        syscall
        db      0
        dd      1                       ; e_ident[12..15] = p_type: PT_LOAD
        dw      3                       ; e_type ET_DYN        = p_flags low: W+X
        dw      62                      ; e_machine            = p_flags high
        dd      0x0c                    ; e_version            = p_offset low
        dd      0                       ; e_entry low          = p_offset high
        dd      0x0c                    ; e_entry high         = p_vaddr low
        dq      0x0c                    ; e_phoff, low half also p_vaddr high
        dd      0                       ; e_shoff low          = p_paddr high
        dd      0x00380000              ; e_shoff high         = p_filesz low: 0x100380000 in all
        dd      1                       ; e_flags              = p_filesz high
        dw      0                       ; e_ehsize             = p_memsz, equal to p_filesz
        dw      56                      ; e_phentsize
        dw      1                       ; e_phnum
        dw      0                       ; e_shentsize
        dq      0                       ; e_shnum, e_shstrndx  = p_align (0: ignored)
        db      0, 0, 0                 ; 0x44-0x46
back:
        jmp     code                    ; 0x47: eb bb
